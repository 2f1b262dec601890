namespace Lpp;

/// <summary>
/// One stored decision as <c>lpp monitor</c> reads it: who decided it, when, where it went, whether it was sampled for
/// audit, and its review. The features for drift travel beside it.
/// </summary>
/// <param name="Model">The deciding model's checksum.</param>
/// <param name="CreatedMs">When it was decided (Unix ms).</param>
/// <param name="Queue">Where it was routed: <c>auto</c> (trusted) or an escalation queue.</param>
/// <param name="Reason">Why (<c>confident</c>, <c>low_confidence</c>, <c>abstain_evidence</c>...).</param>
/// <param name="Audited">A trusted decision sampled for audit.</param>
/// <param name="AuditRate">The audit rate in force when it was decided.</param>
/// <param name="Score">The learned P(the LLM is right).</param>
/// <param name="Outcome">The LLM's answer (null when unparseable).</param>
/// <param name="Verdict">The reviewer's label, or null while unreviewed.</param>
/// <param name="Shadow">The checksum of the shadow model that also scored it (<c>lpp serve --shadow-model</c>), or null when none ran.</param>
/// <param name="ShadowTrusted">Whether the shadow model would have trusted it; null when there was none or it could not score the record.</param>
/// <param name="Costs">The item's own costs under the serving model (its costs by severity, else its cost model): what a shadow's decisions are counted in. Needed for reviewed decisions a shadow scored.</param>
public readonly record struct MonitoredDecision(
    string Model,
    long CreatedMs,
    string Queue,
    string Reason,
    bool Audited,
    double AuditRate,
    double Score,
    string? Outcome,
    string? Verdict,
    string? Shadow = null,
    bool? ShadowTrusted = null,
    CostModel? Costs = null)
{
    private static readonly string ConfidentReason = Queues.ReasonName(RoutingReason.Confident);

    /// <summary>True when the router trusted it.</summary>
    public bool Trusted => Queue == Queues.Auto;

    /// <summary>True when the serving model itself trusted it (an <c>over_capacity</c> item was the model's escalation, trusted by the capacity rule).</summary>
    public bool ModelTrusted => Reason == ConfidentReason;

    /// <summary>The queue it waits in for review: its escalation queue, <c>audit</c> when sampled, null when trusted and not sampled.</summary>
    public string? ReviewQueue => Audited ? Queues.Audit : Trusted ? null : Queue;
}
