namespace Lpp;

/// <summary>One seeded split of a <see cref="RecipeComparison"/>: test metrics by method ("default", "paper", baselines, "always_trust").</summary>
/// <param name="Seed">The split's seed.</param>
/// <param name="Metrics">Test metrics by method; a recipe that could not train on this split is absent.</param>
public sealed record RecipeComparisonSplit(int Seed, IReadOnlyDictionary<string, MethodMetrics> Metrics);
