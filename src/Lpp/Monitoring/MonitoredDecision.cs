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
public readonly record struct MonitoredDecision(
    string Model,
    long CreatedMs,
    string Queue,
    string Reason,
    bool Audited,
    double AuditRate,
    double Score,
    string? Outcome,
    string? Verdict)
{
    /// <summary>True when the router trusted it.</summary>
    public bool Trusted => Queue == Queues.Auto;

    /// <summary>The queue it waits in for review: its escalation queue, <c>audit</c> when sampled, null when trusted and not sampled.</summary>
    public string? ReviewQueue => Audited ? Queues.Audit : Trusted ? null : Queue;
}
