namespace Lpp;

/// <summary>The queue names decisions are routed to.</summary>
public static class Queues
{
    /// <summary>Trusted items: no human needed.</summary>
    public const string Auto = "auto";

    /// <summary>General human review (low confidence, invalid output).</summary>
    public const string Review = "review";

    /// <summary>Senior reviewers: evidence-deficit abstentions.</summary>
    public const string SeniorReview = "senior_review";

    /// <summary>Policy owners: policy-gap abstentions.</summary>
    public const string PolicyReview = "policy_review";

    /// <summary>Trusted items sampled for audit (<c>lpp serve --audit-rate</c>): trusted, and reviewed all the same.</summary>
    public const string Audit = "audit";

    /// <summary>The queues that hold escalated items.</summary>
    public static IReadOnlyList<string> Escalation { get; } = [Review, SeniorReview, PolicyReview];

    /// <summary>The queues reviewers take items from: the escalation queues and <see cref="Audit"/>.</summary>
    public static IReadOnlyList<string> Reviewable { get; } = [Review, SeniorReview, PolicyReview, Audit];

    /// <summary>The snake_case name of a reason as written in decisions.</summary>
    public static string ReasonName(RoutingReason reason) => reason switch
    {
        RoutingReason.Confident => "confident",
        RoutingReason.LowConfidence => "low_confidence",
        RoutingReason.AbstainEvidence => "abstain_evidence",
        RoutingReason.AbstainDefinition => "abstain_definition",
        RoutingReason.NoAnswer => "no_answer",
        RoutingReason.OverCapacity => "over_capacity",
        _ => "invalid_output",
    };
}
