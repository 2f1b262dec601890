namespace Lpp.Serving;

/// <summary>A reviewer asking for items of a queue.</summary>
/// <param name="Queue">The escalation queue.</param>
/// <param name="Reviewer">Who will review them.</param>
/// <param name="Limit">At most this many items.</param>
/// <param name="NowMs">Now, Unix milliseconds (leases that expired before it are free).</param>
/// <param name="LeaseExpiresMs">When the new leases expire, Unix milliseconds.</param>
internal sealed record ClaimRequest(string Queue, string Reviewer, int Limit, long NowMs, long LeaseExpiresMs);
