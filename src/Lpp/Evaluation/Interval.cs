namespace Lpp;

/// <summary>A closed interval [Low, High], e.g. a 95% bootstrap interval; NaN bounds when it could not be computed.</summary>
/// <param name="Low">Lower bound.</param>
/// <param name="High">Upper bound.</param>
public sealed record Interval(double Low, double High)
{
    /// <summary>An interval that could not be computed.</summary>
    public static Interval Undefined { get; } = new(double.NaN, double.NaN);

    /// <summary>Whether <paramref name="value"/> lies inside (bounds included).</summary>
    public bool Contains(double value) => value >= Low && value <= High;
}
