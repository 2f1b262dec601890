namespace Lpp;

/// <summary>The one place where feature defaults and constants are defined.</summary>
public static class LppFeatureDefaults
{
    /// <summary>Top-k alternatives kept by families A and E.</summary>
    public const int TopK = 5;

    /// <summary>Guard against division by zero and ln(0).</summary>
    public const double Eps = 1e-12;

    /// <summary>Logprobs at or below this (provider floors such as -9999, -3.4e38, -1.27e30) mean zero probability.</summary>
    public const double ZeroProbabilityLogprob = -1000;
}
