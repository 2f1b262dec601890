namespace Lpp;

/// <summary>Why an item was trusted or escalated.</summary>
public enum RoutingReason
{
    /// <summary>Trusted: the score cleared τ.</summary>
    Confident,

    /// <summary>Escalated to <c>review</c>: the score fell below τ.</summary>
    LowConfidence,

    /// <summary>Escalated to <c>senior_review</c>: the LLM abstained because the content does not show enough.</summary>
    AbstainEvidence,

    /// <summary>Escalated to <c>policy_review</c>: the LLM abstained because the policy does not cover the case.</summary>
    AbstainDefinition,

    /// <summary>Escalated to <c>review</c>: the answer could not be parsed.</summary>
    InvalidOutput,

    /// <summary>Escalated to <c>review</c>: there is no answer of the LLM's (the call failed; see <see cref="DecisionRecord.NoAnswer"/>).</summary>
    NoAnswer,

    /// <summary>
    /// Trusted although the score fell below τ: its queue was at capacity (<c>lpp serve --capacity</c>) and other
    /// recent escalations were worth reviewing more (<see cref="CapacityWindow"/>).
    /// </summary>
    OverCapacity,
}
