namespace Lpp;

/// <summary>The self-reported confidence band of an answer, from very low to very high.</summary>
public enum ConfidenceBand
{
    /// <summary>Very low.</summary>
    VL,

    /// <summary>Low.</summary>
    L,

    /// <summary>Medium.</summary>
    M,

    /// <summary>High.</summary>
    H,

    /// <summary>Very high.</summary>
    VH,
}
