namespace Lpp.Serving;

/// <summary>A decision request, review or claim waiting in an audit store's writer queue; completes once committed.</summary>
internal sealed class AuditWrite : TaskCompletionSource
{
    public AuditWrite(AuditRequest request)
        : base(TaskCreationOptions.RunContinuationsAsynchronously) => Request = request;

    public AuditWrite(AuditReview review)
        : base(TaskCreationOptions.RunContinuationsAsynchronously) => Review = review;

    public AuditWrite(ClaimRequest claim)
        : base(TaskCreationOptions.RunContinuationsAsynchronously) => Claim = claim;

    public AuditWrite(ServedModel publish, long publishedMs)
        : base(TaskCreationOptions.RunContinuationsAsynchronously) => Publication = (publish, publishedMs);

    public AuditRequest? Request { get; }

    public AuditReview? Review { get; }

    public ClaimRequest? Claim { get; }

    /// <summary>A model to publish as the store's latest release, and when.</summary>
    public (ServedModel Model, long PublishedMs)? Publication { get; }

    /// <summary>The release number a publication got, set by the writer before the commit completes it.</summary>
    public long Release { get; set; }

    /// <summary>Decisions (or 1 for a review or claim) this write adds to a group commit.</summary>
    public int Rows => Math.Max(1, Request?.Count ?? 1);

    /// <summary>The review's outcome, set by the writer before the commit completes it.</summary>
    public ReviewOutcome? Outcome { get; set; }

    /// <summary>The claim's items as (request, k), set by the SQLite writer before the commit completes it.</summary>
    public List<(long RequestRef, int K)>? ClaimedRefs { get; set; }
}
