namespace Lpp;

/// <summary>
/// Paired bootstrap of a difference in total cost: two policies' per-item costs on the same items, resampled together
/// (one draw of n item indices with replacement serves both), so item-to-item variation common to both cancels.
/// The same costs, draws and seed always give the same answer.
/// </summary>
public static class PairedBootstrap
{
    /// <summary>
    /// The share of <paramref name="draws"/> resamples in which Σ <paramref name="candidate"/> &lt; Σ <paramref name="reference"/>
    /// (a tie counts as not lower): the bootstrap probability that the candidate is cheaper. Higher favours the candidate.
    /// </summary>
    /// <exception cref="ArgumentException">Lengths differ or there are no items.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="draws"/> is below 1.</exception>
    public static double ProbabilityLower(ReadOnlySpan<double> candidate, ReadOnlySpan<double> reference, int draws, int seed)
    {
        Guard.SameLength(candidate.Length, reference.Length, nameof(reference), "one per candidate item");
        if (candidate.IsEmpty)
        {
            throw new ArgumentException("a paired bootstrap needs at least one item", nameof(candidate));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(draws, 1);
        var n = candidate.Length;
        var difference = new double[n];
        for (var i = 0; i < n; i++)
        {
            difference[i] = candidate[i] - reference[i];
        }

        var random = new Random(seed);
        var lower = 0;
        for (var d = 0; d < draws; d++)
        {
            var sum = 0.0;
            for (var i = 0; i < n; i++)
            {
                sum += difference[random.Next(n)];
            }

            lower += sum < 0 ? 1 : 0;
        }

        return (double)lower / draws;
    }
}
