namespace Lpp;

/// <summary>
/// Per-row sample weights of a fit: row i counts as <c>w_i</c> rows (frequency weights), so integer weights fit what
/// the data with each row repeated w_i times fits. An empty span means every row weighs 1.
/// </summary>
internal static class SampleWeights
{
    /// <summary>Checks that <paramref name="weights"/> holds one positive finite weight per row.</summary>
    /// <exception cref="ArgumentException">A different length, or a weight that is not positive and finite (named by row).</exception>
    public static void Check(ReadOnlySpan<double> weights, int rows, string parameter)
    {
        Guard.SameLength(rows, weights.Length, parameter, "one weight per row");
        for (var i = 0; i < weights.Length; i++)
        {
            if (!(double.IsFinite(weights[i]) && weights[i] > 0))
            {
                throw new ArgumentException($"weight at row {i} is {weights[i]}; weights must be positive and finite", parameter);
            }
        }
    }

    /// <summary>Row i's weight: 1 when <paramref name="weights"/> is empty.</summary>
    public static double At(ReadOnlySpan<double> weights, int i) => weights.IsEmpty ? 1.0 : weights[i];
}
