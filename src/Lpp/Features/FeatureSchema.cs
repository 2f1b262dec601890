namespace Lpp;

/// <summary>
/// The ordered LPP feature set. Names and order are a public contract: every output (CSV, Parquet, model files)
/// uses exactly this order. Missing values are NaN in memory and empty cells in files.
/// </summary>
public static class FeatureSchema
{
    /// <summary>Every feature, in output order.</summary>
    public static IReadOnlyList<FeatureDefinition> All { get; } =
    [
        new("topk_entropy", FeatureFamily.A, "Shannon entropy (bits) of the renormalised top-k alternatives at the decision token"),
        new("topk_entropy_norm", FeatureFamily.A, "topk_entropy / log2(n), n alternatives kept (0 when n = 1)"),
        new("topk_effective_choices", FeatureFamily.A, "2^topk_entropy: how many equally likely answers the spread amounts to"),
        new("topk_confidence", FeatureFamily.A, "1 - topk_entropy_norm"),
        new("topk_msp", FeatureFamily.A, "maximum softmax probability p1 of the top-k"),
        new("topk_margin", FeatureFamily.A, "p1 - p2 over the top-k (p2 = 0 when n = 1)"),
        new("topk_margin_norm", FeatureFamily.A, "(p1 - p2) / max(p1, 1e-12)"),
        new("topk_ratio", FeatureFamily.A, "p1 / max(p2, 1e-12)"),
        new("label_mass", FeatureFamily.B, "raw probability that fell on any schema label (0-1)"),
        new("label_entropy", FeatureFamily.B, "entropy (bits) of the per-label distribution q"),
        new("label_entropy_norm", FeatureFamily.B, "label_entropy / log2 |labels + abstain labels|"),
        new("label_effective_choices", FeatureFamily.B, "2^label_entropy"),
        new("label_confidence", FeatureFamily.B, "1 - label_entropy_norm"),
        new("label_msp", FeatureFamily.B, "largest per-label probability q1"),
        new("label_margin", FeatureFamily.B, "q1 - q2"),
        new("label_margin_norm", FeatureFamily.B, "(q1 - q2) / max(q1, 1e-12)"),
        new("label_ratio", FeatureFamily.B, "q1 / max(q2, 1e-12)"),
        new("label_prob_outcome", FeatureFamily.B, "q of the label actually answered"),
        new("logodds_margin", FeatureFamily.C, "l2 - l1 over the raw returned logprobs (most and second most probable)"),
        new("logodds_margin_norm", FeatureFamily.C, "(l2 - l1) / l2 (0 when l2 = 0)"),
        new("label_logodds_margin", FeatureFamily.C, "the same over ln(per-label mass), an absent label at ln(1e-12)"),
        new("label_logodds_margin_norm", FeatureFamily.C, "label_logodds_margin / ln(second label mass)"),
        new("reasoning_nll", FeatureFamily.D, "negative log-likelihood -sum ln p(y_t) of the reasoning tokens"),
        new("reasoning_ppl", FeatureFamily.D, "perplexity exp(reasoning_nll / T)"),
        new("reasoning_entropy_mean", FeatureFamily.E, "mean over reasoning tokens of the entropy (bits) of their renormalised top-k"),
        new("reasoning_entropy_q0", FeatureFamily.E, "minimum per-token entropy"),
        new("reasoning_entropy_q25", FeatureFamily.E, "25th percentile of per-token entropy"),
        new("reasoning_entropy_q50", FeatureFamily.E, "median per-token entropy"),
        new("reasoning_entropy_q75", FeatureFamily.E, "75th percentile of per-token entropy"),
        new("reasoning_entropy_q100", FeatureFamily.E, "maximum per-token entropy"),
        new("reasoning_prob_q0", FeatureFamily.E, "minimum probability of a generated reasoning token"),
        new("reasoning_prob_q25", FeatureFamily.E, "25th percentile of generated-token probability"),
        new("reasoning_prob_q50", FeatureFamily.E, "median generated-token probability"),
        new("reasoning_prob_q75", FeatureFamily.E, "75th percentile of generated-token probability"),
        new("reasoning_prob_q100", FeatureFamily.E, "maximum generated-token probability"),
        new("verbalized_confidence", FeatureFamily.F, "self-reported confidence snapped to the nearest multiple of 5, / 100"),
        new("band_vl", FeatureFamily.F, "1 when the band is VL (very low)"),
        new("band_l", FeatureFamily.F, "1 when the band is L"),
        new("band_m", FeatureFamily.F, "1 when the band is M"),
        new("band_h", FeatureFamily.F, "1 when the band is H"),
        new("band_vh", FeatureFamily.F, "1 when the band is VH (very high)"),
        new("abstain_evidence", FeatureFamily.G, "1 when the answer abstained for lack of evidence"),
        new("abstain_definition", FeatureFamily.G, "1 when the answer abstained because the policy does not cover the case"),
        new("abstain_any", FeatureFamily.G, "1 when the answer abstained"),
        new("has_logprobs", FeatureFamily.Availability, "1 when the decision token came with usable alternatives"),
        new("has_reasoning", FeatureFamily.Availability, "1 when reasoning tokens came with the answer"),
        new("has_verbalized", FeatureFamily.Availability, "1 when a verbalized confidence came with the answer"),
        new("has_band", FeatureFamily.Availability, "1 when a confidence band came with the answer"),
        new("outcome_invalid", FeatureFamily.Availability, "1 when the answer could not be parsed into a label or abstention"),
    ];

    /// <summary>Number of features.</summary>
    public static int Count => All.Count;

    /// <summary>The feature names in order.</summary>
    public static IReadOnlyList<string> Names { get; } = [.. All.Select(f => f.Name)];

    /// <summary>Index of the feature called <paramref name="name"/>, or -1.</summary>
    public static int IndexOf(string name)
    {
        for (var i = 0; i < All.Count; i++)
        {
            if (string.Equals(All[i].Name, name, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }
}
