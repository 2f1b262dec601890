namespace Lpp.Serving;

/// <summary>What an audit store did with a review.</summary>
/// <param name="Status">Recorded, repeated, refused and why.</param>
/// <param name="Stored">The review on record when there is one (after <see cref="ReviewStatus.Recorded"/>, <see cref="ReviewStatus.Repeated"/> or <see cref="ReviewStatus.AlreadyReviewed"/>).</param>
/// <param name="LeaseHolder">The reviewer holding a live lease on the item (<see cref="ReviewStatus.LeasedToOther"/>).</param>
/// <param name="LeaseExpiresMs">When that lease expires, Unix milliseconds.</param>
internal sealed record ReviewOutcome(ReviewStatus Status, StoredReview? Stored = null, string? LeaseHolder = null, long LeaseExpiresMs = 0);
