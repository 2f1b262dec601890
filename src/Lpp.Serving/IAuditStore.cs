namespace Lpp.Serving;

/// <summary>
/// Where every decision, claim and review is kept. Writes complete only once durable (committed), so a caller that
/// awaits them before answering never answers with something the store could lose to a crashed process. Every
/// implementation passes the same contract tests (<c>AuditStoreContract</c>).
/// </summary>
internal interface IAuditStore : IAsyncDisposable
{
    /// <summary>True while the store can take writes (its writer is running): what <c>/readyz</c> reports.</summary>
    bool Ready { get; }

    /// <summary>Stores one request's decisions (its body once); completes when they are committed.</summary>
    ValueTask AppendAsync(AuditRequest request);

    /// <summary>
    /// Stores a review and closes its item, unless the decision is unknown, was reviewed before (the same reviewer
    /// and verdict again is <see cref="ReviewStatus.Repeated"/>), or another reviewer holds a live lease on it.
    /// </summary>
    ValueTask<ReviewOutcome> ReviewAsync(AuditReview review);

    /// <summary>
    /// Leases up to <see cref="ClaimRequest.Limit"/> items of a queue, in review order, to the reviewer: items free or
    /// whose lease expired, and items the same reviewer already holds (their lease renewed). No item is leased to
    /// two reviewers at once, however many claims run together.
    /// </summary>
    ValueTask<IReadOnlyList<ClaimedItem>> ClaimAsync(ClaimRequest claim);

    /// <summary>
    /// Stores the model file (once) and makes it the latest release, the model every server on this store serves;
    /// completes with its release number once committed.
    /// </summary>
    ValueTask<long> PublishModelAsync(ServedModel model, long publishedMs);

    /// <summary>The latest model release, or null when none was published.</summary>
    ModelRelease? CurrentModel();

    /// <summary>A stored decision with its review, or null.</summary>
    AuditEntry? Find(string decisionId);

    /// <summary>The model file stored under <paramref name="checksum"/>, or null.</summary>
    byte[]? ModelFile(string checksum);

    /// <summary>Unreviewed decisions of an escalation queue, most costly first, lowest score first where costs tie.</summary>
    IReadOnlyList<AuditEntry> Pending(string queue, int limit);

    /// <summary>How many unreviewed decisions an escalation queue holds.</summary>
    long PendingCount(string queue);

    /// <summary>Every reviewed decision, in review order, with its review.</summary>
    IEnumerable<AuditEntry> Reviewed();

    /// <summary>Every decision created in [<paramref name="sinceMs"/>, <paramref name="untilMs"/>) (either bound optional), in the order they were stored, with its review.</summary>
    IEnumerable<AuditEntry> Decisions(long? sinceMs, long? untilMs);
}
