namespace Lpp;

/// <summary>
/// Decides trust or escalate for each record with an <see cref="EscalationModel"/>: an evidence abstention goes to
/// <c>senior_review</c>, a definition abstention to <c>policy_review</c>, an unparseable answer and a record with no
/// answer at all (<see cref="DecisionRecord.NoAnswer"/>: reason <c>no_answer</c>) to <c>review</c>;
/// otherwise the item is trusted (queue <c>auto</c>) when the model's deployed policy trusts it (the learned score ≥ τ,
/// or a simple policy: always trust, one signal at its threshold, escalate everything), else escalated to <c>review</c>.
/// With costs by severity, an item whose costs are not the model's own is trusted when the learned score reaches the
/// threshold of its costs, whatever policy the model deploys (a simple policy was chosen at the model's costs only).
/// The decision's score is always the learned P(the LLM is right).
/// Thread-safe.
/// </summary>
public sealed class Router
{
    private const int ContributionCount = 3;
    private readonly LppFeatureExtractor _extractor;
    private readonly int[] _slotOf;
    private readonly string[] _slotLabels;
    private readonly IReadOnlyList<string>[] _slotMembers;

    /// <summary>
    /// Creates a router for <paramref name="model"/>; with <paramref name="costs"/> (or else the model's own
    /// <see cref="EscalationModel.SeverityCosts"/>) each item is routed at the threshold of its own costs.
    /// </summary>
    public Router(EscalationModel model, SeverityCosts? costs = null)
    {
        Model = model ?? throw new ArgumentNullException(nameof(model));
        Costs = costs ?? model.SeverityCosts;
        _extractor = model.CreateExtractor();
        (_slotOf, _slotLabels, _slotMembers) = Slots(model);
    }

    /// <summary>The model in use.</summary>
    public EscalationModel Model { get; }

    /// <summary>The costs by severity in force, or null when the model's single cost model applies to every item.</summary>
    public SeverityCosts? Costs { get; }

    /// <summary>Routes one record.</summary>
    public RoutingDecision Route(DecisionRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        Span<double> features = stackalloc double[FeatureSchema.Count];
        _extractor.Extract(record, features);
        return Route(record, features);
    }

    /// <summary>Routes one record whose <see cref="FeatureSchema"/> features are already computed.</summary>
    public RoutingDecision Route(DecisionRecord record, ReadOnlySpan<double> features)
    {
        ArgumentNullException.ThrowIfNull(record);
        var d = Model.FeatureNames.Length;
        Span<double> z = d <= 128 ? stackalloc double[d] : new double[d];
        var score = Model.Score(features, z);
        var tau = Model.Tau;
        string? group = null;
        CostModel? costs = null;
        if (Costs is not null)
        {
            costs = Costs.For(record.Source, out group);
            tau = SeverityCosts.ThresholdFor(Model, costs);
        }

        var reason = Reason(record, features, score, tau, costs);
        return new RoutingDecision
        {
            Id = record.Id,
            Outcome = record.Output.Outcome,
            Trust = reason == RoutingReason.Confident,
            Score = score,
            Tau = tau,
            CostGroup = group,
            Costs = costs,
            Reason = reason,
            Queue = reason switch
            {
                RoutingReason.Confident => Queues.Auto,
                RoutingReason.AbstainEvidence => Queues.SeniorReview,
                RoutingReason.AbstainDefinition => Queues.PolicyReview,
                _ => Queues.Review,
            },
            Contributions = Model.Policy.IsLearned ? TopContributions(z) : [],
            Source = record.Source,
        };
    }

    /// <summary>
    /// Why <see cref="Route(DecisionRecord, ReadOnlySpan{double})"/> would route a record as it does (and so whether it
    /// trusts it: <see cref="RoutingReason.Confident"/>), and its score, without building the decision or its
    /// contributions: for a second model scoring the same records beside the one that answers (<c>lpp serve --shadow-model</c>).
    /// </summary>
    public RoutingReason Decide(DecisionRecord record, ReadOnlySpan<double> features, out double score)
    {
        ArgumentNullException.ThrowIfNull(record);
        score = Model.Score(features);
        if (Costs is null)
        {
            return Reason(record, features, score, Model.Tau, null);
        }

        var costs = Costs.For(record.Source, out _);
        return Reason(record, features, score, SeverityCosts.ThresholdFor(Model, costs), costs);
    }

    private RoutingReason Reason(DecisionRecord record, ReadOnlySpan<double> features, double score, double tau, CostModel? costs) =>
        record.NoAnswer is not null
            ? RoutingReason.NoAnswer
            : record.OutcomeInvalid
            ? RoutingReason.InvalidOutput
            : record.Schema.AttributionOf(record.Output.Outcome) switch
            {
                Attribution.Evidence => RoutingReason.AbstainEvidence,
                Attribution.Definition => RoutingReason.AbstainDefinition,
                _ => Trusts(features, score, tau, costs) ? RoutingReason.Confident : RoutingReason.LowConfidence,
            };

    /// <summary>
    /// The deployed policy decides items at the costs it was chosen for (the model's own cost model, or no costs by
    /// severity). A simple policy (always trust, escalate everything, one signal at its threshold) was chosen by
    /// comparing costs at those costs only and reads no probability a threshold could move, so an item with other
    /// costs is decided as a calibrated probability is: the learned score against the threshold of its own costs.
    /// </summary>
    private bool Trusts(ReadOnlySpan<double> features, double score, double tau, CostModel? costs) =>
        Model.Policy.IsLearned || costs is null || costs == Model.Cost
            ? Model.Policy.Trusts(features, score, tau)
            : score >= tau;

    private FeatureContribution[] TopContributions(ReadOnlySpan<double> z)
    {
        // Each feature's term is added to its slot (its group's, or its own): a few additions, no allocation.
        Span<double> sums = stackalloc double[_slotLabels.Length];
        for (var j = 0; j < z.Length; j++)
        {
            sums[_slotOf[j]] += Model.Contribution(j, z[j]);
        }

        Span<int> best = stackalloc int[ContributionCount];
        Span<double> magnitude = stackalloc double[ContributionCount];
        best.Fill(-1);
        magnitude.Fill(-1);
        for (var s = 0; s < sums.Length; s++)
        {
            var m = Math.Abs(sums[s]);
            for (var slot = 0; slot < ContributionCount; slot++)
            {
                if (m > magnitude[slot])
                {
                    for (var move = ContributionCount - 1; move > slot; move--)
                    {
                        magnitude[move] = magnitude[move - 1];
                        best[move] = best[move - 1];
                    }

                    magnitude[slot] = m;
                    best[slot] = s;
                    break;
                }
            }
        }

        var count = 0;
        foreach (var index in best)
        {
            count += index >= 0 ? 1 : 0;
        }

        var result = new FeatureContribution[count];
        for (var i = 0; i < count; i++)
        {
            result[i] = new FeatureContribution(_slotLabels[best[i]], sums[best[i]], _slotMembers[best[i]]);
        }

        return result;
    }

    /// <summary>
    /// The contribution slots: one per group of <see cref="EscalationModel.ContributionGroups"/> and one per feature in
    /// no group, in the order of each slot's first feature in the schema (so ties keep schema order).
    /// </summary>
    private static (int[] SlotOf, string[] Labels, IReadOnlyList<string>[] Members) Slots(EscalationModel model)
    {
        var names = model.FeatureNames;
        var groupOf = new Dictionary<string, ContributionGroup>(StringComparer.Ordinal);
        foreach (var group in model.ContributionGroups?.Groups ?? [])
        {
            foreach (var member in group.Members)
            {
                groupOf[member] = group;
            }
        }

        var slotOf = new int[names.Length];
        var labels = new List<string>();
        var members = new List<IReadOnlyList<string>>();
        var slotOfGroup = new Dictionary<ContributionGroup, int>();
        for (var j = 0; j < names.Length; j++)
        {
            if (!groupOf.TryGetValue(names[j], out var group))
            {
                slotOf[j] = labels.Count;
                labels.Add(names[j]);
                members.Add([names[j]]);
            }
            else if (slotOfGroup.TryGetValue(group, out var slot))
            {
                slotOf[j] = slot;
            }
            else
            {
                slotOf[j] = slotOfGroup[group] = labels.Count;
                labels.Add(group.Label);
                members.Add(group.Members);
            }
        }

        return (slotOf, [.. labels], [.. members]);
    }
}
