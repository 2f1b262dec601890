namespace Lpp;

/// <summary>
/// A feature's push on the score: its term in the model's linear score before calibration, the mean coefficient × the
/// feature's standardised value (positive = towards trust). Written as <c>linear_term</c>.
/// </summary>
/// <param name="Feature">The feature name.</param>
/// <param name="LinearTerm">Coefficient × standardised value.</param>
public readonly record struct FeatureContribution(string Feature, double LinearTerm);
