namespace Lpp.Serving;

/// <summary>What <see cref="FeedbackExport"/> wrote.</summary>
/// <param name="Reviews">Reviews read from the store.</param>
/// <param name="Records">Labeled records written (one per record id; earlier reviews of the same id are superseded).</param>
/// <param name="Unsampled">Reviews of trusted decisions that were not sampled for audit, left out: their probability of review is unknown, so no weight would be right.</param>
public sealed record FeedbackExportResult(long Reviews, int Records, long Unsampled = 0)
{
    /// <summary>Reviews replaced by a later review of the same record.</summary>
    public long Superseded => Reviews - Unsampled - Records;
}
