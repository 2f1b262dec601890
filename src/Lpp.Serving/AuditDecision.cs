namespace Lpp.Serving;

/// <summary>One decision of an <see cref="AuditRequest"/>: what the review queues sort and filter on, and where its record lies in the body.</summary>
/// <param name="Reason">Why.</param>
/// <param name="Queue">auto, review, senior_review or policy_review.</param>
/// <param name="Score">Calibrated P(the LLM is right).</param>
/// <param name="Cost">Expected cost of trusting it wrongly: c_error × (1 − score), c_error of the item's own costs by severity, else of the model's cost model.</param>
/// <param name="Record">Where the record's UTF-8 JSON lies in the request body.</param>
/// <param name="Index">The record's position in a batch, or -1 for a single-record request.</param>
/// <param name="Audit">A trusted decision sampled for audit (<see cref="AuditSampling"/>): it also enters the <c>audit</c> queue.</param>
/// <param name="ShadowReason">The shadow model's reason for it (<c>--shadow-model</c>; <see cref="RoutingReason.Confident"/>: it would trust it), or null when there is none or it could not score the record.</param>
/// <param name="ShadowScore">The shadow model's score; NaN when it did not score the record.</param>
internal readonly record struct AuditDecision(
    RoutingReason Reason,
    string Queue,
    double Score,
    double Cost,
    Range Record,
    int Index,
    bool Audit = false,
    RoutingReason? ShadowReason = null,
    double ShadowScore = double.NaN)
{
    /// <summary>The queue it waits in for review: its escalation queue, <c>audit</c> when sampled, or null when trusted and not sampled.</summary>
    public string? PendingQueue => Audit ? Queues.Audit : Queue == Queues.Auto ? null : Queue;
}
