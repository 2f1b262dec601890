namespace Lpp;

/// <summary>The one place where the cost defaults are defined (the paper's values).</summary>
public static class CostDefaults
{
    /// <summary>Cost of a missed error: 1.</summary>
    public const double CError = 1.0;

    /// <summary>Cost of a human review: 0.64 (the paper's c_review / c_error).</summary>
    public const double CReview = 0.64;
}
