namespace Lpp.Serving;

/// <summary>What became of a review.</summary>
internal enum ReviewStatus
{
    /// <summary>Stored; the item left its queue.</summary>
    Recorded,

    /// <summary>No decision has this id.</summary>
    NotFound,

    /// <summary>The decision was reviewed before.</summary>
    AlreadyReviewed,
}
