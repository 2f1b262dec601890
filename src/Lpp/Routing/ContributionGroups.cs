using System.Collections.Immutable;

namespace Lpp;

/// <summary>
/// The groups of collinear features a model's contributions are reported by (the model file's optional
/// <c>contribution_groups</c> section): the feature analysis's groups of near-duplicates on the training data
/// (|correlation| ≥ <see cref="DuplicateCorrelation"/> between the median-imputed features, linked in a chain) with at
/// least two members. A feature in no group is reported on its own. A model without them (an older file) reports every
/// feature on its own.
/// </summary>
public sealed class ContributionGroups
{
    /// <summary>Creates the groups.</summary>
    /// <exception cref="ArgumentException">A threshold outside (0, 1], or a feature in two groups.</exception>
    public ContributionGroups(double duplicateCorrelation, IReadOnlyList<ContributionGroup> groups)
    {
        ArgumentNullException.ThrowIfNull(groups);
        if (!(duplicateCorrelation > 0 && duplicateCorrelation <= 1))
        {
            throw new ArgumentException($"duplicate_correlation {duplicateCorrelation} is not in (0, 1]", nameof(duplicateCorrelation));
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var member in groups.SelectMany(g => g.Members))
        {
            if (!seen.Add(member))
            {
                throw new ArgumentException($"feature '{member}' is in two contribution groups", nameof(groups));
            }
        }

        DuplicateCorrelation = duplicateCorrelation;
        Groups = [.. groups];
    }

    /// <summary>|Pearson correlation| from which two features were grouped.</summary>
    public double DuplicateCorrelation { get; }

    /// <summary>The groups of two or more members, strongest signal first.</summary>
    public ImmutableArray<ContributionGroup> Groups { get; }

    /// <summary>The groups of <paramref name="analysis"/> with two or more members, each named by <see cref="NameOf"/>.</summary>
    public static ContributionGroups From(FeatureAnalysis analysis)
    {
        ArgumentNullException.ThrowIfNull(analysis);
        return new ContributionGroups(
            FeatureAnalysis.DuplicateCorrelation,
            [.. analysis.Groups.Where(g => g.Members.Count > 1).Select(g => new ContributionGroup(NameOf(g.Members), g.Members, g.Signs))]);
    }

    /// <summary>
    /// What a group of features measures: the distinct <see cref="SignalOf"/> of its members in member order, joined
    /// by " / " (e.g. <c>margin</c> for logodds_margin and label_logodds_margin; <c>entropy / max probability</c>);
    /// more than two signals all read from the alternatives at the decision token (families A, B and C) are
    /// <c>decision-token confidence</c>, the one thing they all say.
    /// </summary>
    public static string NameOf(IEnumerable<string> members)
    {
        ArgumentNullException.ThrowIfNull(members);
        var list = members.ToList();
        var signals = list.Select(SignalOf).Distinct(StringComparer.Ordinal).ToList();
        return signals.Count > 2 && list.All(m => FeatureSchema.IndexOf(m) is var i && i >= 0 && FeatureSchema.All[i].Family is FeatureFamily.A or FeatureFamily.B or FeatureFamily.C)
            ? "decision-token confidence"
            : string.Join(" / ", signals);
    }

    /// <summary>The signal a feature reads, in words: entropy, max probability, margin, verbalized confidence...</summary>
    public static string SignalOf(string feature)
    {
        ArgumentNullException.ThrowIfNull(feature);
        return feature switch
        {
            "topk_entropy" or "topk_entropy_norm" or "topk_effective_choices" or "topk_confidence"
                or "label_entropy" or "label_entropy_norm" or "label_effective_choices" or "label_confidence" => "entropy",
            "topk_msp" or "label_msp" => "max probability",
            "label_prob_outcome" => "answer probability",
            "topk_ratio" or "label_ratio" => "probability ratio",
            "label_mass" => "label mass",
            _ when feature.Contains("margin", StringComparison.Ordinal) => "margin",
            "reasoning_nll" or "reasoning_ppl" => "reasoning likelihood",
            _ when feature.StartsWith("reasoning_entropy", StringComparison.Ordinal) => "reasoning entropy",
            _ when feature.StartsWith("reasoning_prob", StringComparison.Ordinal) => "reasoning token probability",
            "verbalized_confidence" => "verbalized confidence",
            _ when feature.StartsWith("band_", StringComparison.Ordinal) => "confidence band",
            _ when feature.StartsWith("abstain_", StringComparison.Ordinal) => "abstention",
            "has_logprobs" => "log-probabilities present",
            "has_reasoning" => "reasoning present",
            "has_verbalized" => "verbalized confidence present",
            "has_band" => "band present",
            "outcome_invalid" => "invalid output",
            _ => feature,
        };
    }
}
