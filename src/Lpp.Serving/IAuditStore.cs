namespace Lpp.Serving;

/// <summary>
/// Where every decision and review is kept. Writes complete only once durable (committed), so a caller that awaits
/// them before answering never answers with something the store could lose to a crashed process.
/// </summary>
internal interface IAuditStore : IAsyncDisposable
{
    /// <summary>Stores one request's decisions (its body once); completes when they are committed.</summary>
    ValueTask AppendAsync(AuditRequest request);

    /// <summary>Stores a review and closes its item; completes when committed.</summary>
    ValueTask<ReviewStatus> ReviewAsync(AuditReview review);

    /// <summary>A stored decision, or null.</summary>
    AuditEntry? Find(string decisionId);

    /// <summary>Unreviewed decisions of an escalation queue, most costly first, lowest score first where costs tie.</summary>
    IReadOnlyList<AuditEntry> Pending(string queue, int limit);

    /// <summary>How many unreviewed decisions an escalation queue holds.</summary>
    long PendingCount(string queue);

    /// <summary>Every reviewed decision, in review order, with its verdict.</summary>
    IEnumerable<AuditEntry> Reviewed();

    /// <summary>True while the store can take writes (its writer is running): what <c>/readyz</c> reports.</summary>
    bool Ready { get; }
}
