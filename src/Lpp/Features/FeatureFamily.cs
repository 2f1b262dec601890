namespace Lpp;

/// <summary>The feature families of the paper's Table 6, plus the availability indicators.</summary>
public enum FeatureFamily
{
    /// <summary>A: the unfiltered top-k distribution at the decision token.</summary>
    A,

    /// <summary>B: the distribution filtered to the schema labels.</summary>
    B,

    /// <summary>C: log-odds margins.</summary>
    C,

    /// <summary>D: likelihood of the reasoning sequence.</summary>
    D,

    /// <summary>E: token-level uncertainty along the reasoning.</summary>
    E,

    /// <summary>F: verbalized confidence and band.</summary>
    F,

    /// <summary>G: abstention attribution.</summary>
    G,

    /// <summary>Which signals were present at all.</summary>
    Availability,
}
