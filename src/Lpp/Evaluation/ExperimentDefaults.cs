namespace Lpp;

/// <summary>The one place where experiment defaults are defined.</summary>
internal static class ExperimentDefaults
{
    public const double TestFraction = 0.25;
    public const int Repeats = 1;

    /// <summary><c>lpp compare</c>'s splits per dataset.</summary>
    public const int ComparisonRepeats = 20;
    public const int Seed = 42;
    public const int Bootstrap = 1000;
    public static readonly double[] CostRatios = [0.4, 0.64, 0.9];
}
