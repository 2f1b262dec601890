using System.Collections.Immutable;

namespace Lpp;

/// <summary>The decisions of one model in a monitoring window (or one period of it).</summary>
/// <param name="Decisions">Decisions made.</param>
/// <param name="FirstMs">The first one's time (Unix ms).</param>
/// <param name="LastMs">The last one's time (Unix ms).</param>
/// <param name="EscalationRatio">Share escalated (not trusted).</param>
/// <param name="Queues">Per queue routed to (and <c>audit</c>): decisions, backlog and the oldest pending age.</param>
/// <param name="Audit">The audit sample's estimate of the error rate among trusted decisions.</param>
/// <param name="Drift">Population stability of score and features; null when the model has no training profile.</param>
/// <param name="Overturn">Per escalation reason, how often reviewers found the LLM right after all.</param>
/// <param name="OverCapacity">Escalations trusted instead because their queue was at capacity (reason <c>over_capacity</c>), counted among the trusted.</param>
public sealed record ModelSummary(
    long Decisions,
    long FirstMs,
    long LastMs,
    double EscalationRatio,
    ImmutableSortedDictionary<string, QueueSummary> Queues,
    AuditSummary Audit,
    DriftSummary? Drift,
    ImmutableSortedDictionary<string, OverturnSummary> Overturn,
    long OverCapacity = 0)
{
    /// <summary>Per shadow model that also scored these decisions (<c>lpp serve --shadow-model</c>), by checksum: agreement and estimated costs; empty when none ran.</summary>
    public ImmutableSortedDictionary<string, ShadowSummary> Shadows { get; init; } = ImmutableSortedDictionary<string, ShadowSummary>.Empty;
}
