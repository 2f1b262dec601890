namespace Lpp.Serving;

/// <summary>What happened to a review.</summary>
internal enum ReviewStatus
{
    /// <summary>Stored; the item left its queue.</summary>
    Recorded,

    /// <summary>No decision has this id.</summary>
    NotFound,

    /// <summary>The decision was reviewed before, by someone else or with another verdict.</summary>
    AlreadyReviewed,

    /// <summary>The same reviewer sent the same verdict again: nothing new stored, the stored review stands (safe to retry).</summary>
    Repeated,

    /// <summary>Another reviewer holds a live lease on the item.</summary>
    LeasedToOther,
}
