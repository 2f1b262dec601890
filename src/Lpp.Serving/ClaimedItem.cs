namespace Lpp.Serving;

/// <summary>An item leased to a reviewer.</summary>
/// <param name="Entry">The pending decision.</param>
/// <param name="LeaseExpiresMs">When the lease expires, Unix milliseconds; after it the item returns to the queue.</param>
internal sealed record ClaimedItem(AuditEntry Entry, long LeaseExpiresMs);
