namespace Lpp;

/// <summary>One LPP feature: its public name, family and a one-line meaning.</summary>
/// <param name="Name">The column name, a public contract.</param>
/// <param name="Family">The family it belongs to.</param>
/// <param name="Description">What it measures, in one line.</param>
public sealed record FeatureDefinition(string Name, FeatureFamily Family, string Description);
