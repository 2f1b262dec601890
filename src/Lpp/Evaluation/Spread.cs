namespace Lpp;

/// <summary>Mean and spread of one number over repeated splits.</summary>
/// <param name="Mean">Arithmetic mean (NaN for no values).</param>
/// <param name="Sd">Sample standard deviation (n − 1; 0 for one value).</param>
/// <param name="Min">Smallest value.</param>
/// <param name="Max">Largest value.</param>
/// <param name="Count">Values (NaN values are left out).</param>
public sealed record Spread(double Mean, double Sd, double Min, double Max, int Count)
{
    /// <summary>The spread of the non-NaN <paramref name="values"/>.</summary>
    public static Spread Of(IEnumerable<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var v = values.Where(x => !double.IsNaN(x)).ToArray();
        if (v.Length == 0)
        {
            return new Spread(double.NaN, double.NaN, double.NaN, double.NaN, 0);
        }

        var mean = v.Average();
        var sd = v.Length == 1 ? 0 : Math.Sqrt(v.Sum(x => (x - mean) * (x - mean)) / (v.Length - 1));
        return new Spread(mean, sd, v.Min(), v.Max(), v.Length);
    }
}
