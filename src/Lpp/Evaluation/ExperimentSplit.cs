namespace Lpp;

/// <summary>One seeded split of one dataset: the test metrics of every method, the ablations and the cost-ratio table.</summary>
/// <param name="Seed">The split's seed (also the training seed).</param>
/// <param name="TrainRecords">Labelled training records.</param>
/// <param name="TestRecords">Labelled test records.</param>
/// <param name="TestErrors">LLM errors in the test records.</param>
/// <param name="Methods">Test metrics by method.</param>
/// <param name="Ablations">Family ablations (empty when not run).</param>
/// <param name="CostRatios">The meta-model's cost at each ratio.</param>
public sealed record ExperimentSplit(int Seed, int TrainRecords, int TestRecords, int TestErrors, IReadOnlyDictionary<string, MethodMetrics> Methods, IReadOnlyList<FamilyAblation> Ablations, IReadOnlyList<CostRatioPoint> CostRatios);
