namespace Lpp;

/// <summary>A feature's push on the score: mean ridge coefficient × its standardised value (positive = towards trust).</summary>
/// <param name="Feature">The feature name.</param>
/// <param name="Value">Coefficient × standardised value.</param>
public readonly record struct FeatureContribution(string Feature, double Value);
