namespace Lpp.Serving;

/// <summary>A decision request or a review waiting in an audit store's writer queue; completes once committed.</summary>
internal sealed class AuditWrite(AuditRequest? request, AuditReview? review)
    : TaskCompletionSource<ReviewStatus>(TaskCreationOptions.RunContinuationsAsynchronously)
{
    public AuditRequest? Request { get; } = request;

    public AuditReview? Review { get; } = review;

    /// <summary>Decisions (or 1 for a review) this write adds to a group commit.</summary>
    public int Rows => Math.Max(1, Request?.Count ?? 1);

    /// <summary>The review's outcome, set by the writer before the commit completes it.</summary>
    public ReviewStatus Status { get; set; }
}
