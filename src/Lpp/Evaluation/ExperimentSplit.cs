namespace Lpp;

/// <summary>One seeded split of one dataset: the test metrics of every method that ran, the ablations and the cost-ratio table.</summary>
/// <param name="Seed">The split's seed (also the training seed).</param>
/// <param name="TrainRecords">Labelled training records.</param>
/// <param name="TestRecords">Labelled test records.</param>
/// <param name="TestErrors">LLM errors in the test records.</param>
/// <param name="Methods">Test metrics by method, for the methods that ran on this split.</param>
/// <param name="Ablations">Family ablations (empty when not run or when the meta-model could not be trained).</param>
/// <param name="CostRatios">The meta-model's cost at each ratio (empty when it could not be trained).</param>
public sealed record ExperimentSplit(int Seed, int TrainRecords, int TestRecords, int TestErrors, IReadOnlyDictionary<Method, MethodMetrics> Methods, IReadOnlyList<FamilyAblation> Ablations, IReadOnlyList<CostRatioPoint> CostRatios)
{
    /// <summary>The methods that could not run on this split, with the reason (e.g. too few LLM errors to train, no log-probabilities).</summary>
    public IReadOnlyDictionary<Method, string> Skipped { get; init; } = new Dictionary<Method, string>();

    /// <summary>The models trained with a trusted-error guarantee, one per <see cref="ExperimentOptions.MaxTrustedErrors"/> level that could train.</summary>
    public IReadOnlyList<GuaranteeOutcome> Guarantees { get; init; } = [];
}
