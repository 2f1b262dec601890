namespace Lpp;

/// <summary>The routing of one LLM decision.</summary>
public sealed record RoutingDecision
{
    /// <summary>The record's id.</summary>
    public required string Id { get; init; }

    /// <summary>What the LLM answered (null when unparseable).</summary>
    public string? Outcome { get; init; }

    /// <summary>True to trust the LLM's answer, false to escalate it.</summary>
    public bool Trust { get; init; }

    /// <summary>Calibrated probability that the LLM is right.</summary>
    public double Score { get; init; }

    /// <summary>The threshold applied: the model's, or that of the item's own costs by severity.</summary>
    public double Tau { get; init; }

    /// <summary>Which entry of the costs by severity applied (an attribute value or <c>default</c>); null when the model's single cost model did.</summary>
    public string? CostGroup { get; init; }

    /// <summary>The item's costs when costs by severity applied; null when the model's single cost model did.</summary>
    public CostModel? Costs { get; init; }

    /// <summary>Why.</summary>
    public RoutingReason Reason { get; init; }

    /// <summary>Where the item goes: auto, review, senior_review or policy_review.</summary>
    public required string Queue { get; init; }

    /// <summary>
    /// The three largest pushes on the score by |coefficient × standardised value|, the terms of collinear features
    /// summed per group (<see cref="EscalationModel.ContributionGroups"/>); empty when a simple policy decides.
    /// </summary>
    public IReadOnlyList<FeatureContribution> Contributions { get; init; } = [];

    /// <summary>The record's source attributes.</summary>
    public IReadOnlyDictionary<string, string> Source { get; init; } = SourceAttributes.Empty;

    /// <summary>This escalation trusted instead, because its queue was at capacity: reason <c>over_capacity</c>, queue <c>auto</c>.</summary>
    public RoutingDecision TrustedOverCapacity() => this with { Trust = true, Reason = RoutingReason.OverCapacity, Queue = Queues.Auto };
}
