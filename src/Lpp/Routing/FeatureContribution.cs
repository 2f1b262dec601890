namespace Lpp;

/// <summary>
/// A push on the score by one feature, or by one group of collinear features (<see cref="ContributionGroups"/>): its
/// term in the model's linear score before calibration, the mean coefficient × the feature's standardised value,
/// summed over the group's members (positive = towards trust). Written as <c>{"feature", "linear_term", "members"}</c>.
/// </summary>
/// <param name="Feature">The feature's name, or the group's label, e.g. <c>margin (logodds_margin, label_logodds_margin)</c>.</param>
/// <param name="LinearTerm">Coefficient × standardised value, summed over the members.</param>
/// <param name="Members">The features whose terms are summed: the feature alone, or the group's members (lead first).</param>
public readonly record struct FeatureContribution(string Feature, double LinearTerm, IReadOnlyList<string> Members);
