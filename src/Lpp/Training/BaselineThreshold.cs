namespace Lpp;

/// <summary>
/// A single-signal baseline with its own threshold: trust iff sign × feature ≥ τ. A record whose signal is missing
/// is escalated. τ is chosen on the same data and by the same cost as the meta-model's.
/// </summary>
/// <param name="Name">msp, top2_margin, entropy or verbalized.</param>
/// <param name="Feature">The feature it reads.</param>
/// <param name="Sign">+1 when larger means more confident, −1 otherwise (entropy).</param>
/// <param name="Tau">The threshold on sign × feature.</param>
public sealed record BaselineThreshold(string Name, string Feature, int Sign, double Tau)
{
    /// <summary>The baselines of the paper (MSP, top-2 margin, entropy) and verbalized confidence, with τ unset.</summary>
    public static IReadOnlyList<BaselineThreshold> Signals { get; } =
    [
        new(Method.Msp.Name, "topk_msp", 1, double.NaN),
        new(Method.Top2Margin.Name, "topk_margin", 1, double.NaN),
        new(Method.Entropy.Name, "topk_entropy", -1, double.NaN),
        new(Method.Verbalized.Name, "verbalized_confidence", 1, double.NaN),
    ];

    /// <summary>The method this baseline is (one of <see cref="Method.Signals"/>).</summary>
    public Method Method => Method.Parse(Name);

    /// <summary>The baseline's confidence score of a record from all its features (NaN when the signal is missing).</summary>
    public double Score(ReadOnlySpan<double> allFeatures) => Sign * allFeatures[FeatureSchema.IndexOf(Feature)];

    /// <summary>Whether the baseline trusts the record.</summary>
    public bool Trusts(ReadOnlySpan<double> allFeatures) => Score(allFeatures) >= Tau;
}
