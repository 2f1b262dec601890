namespace Lpp.Inference;

/// <summary>The batch defaults, defined once.</summary>
internal static class BatchDefaults
{
    public const int BatchSize = 50_000;
    public static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(60);

    /// <summary>
    /// How long a provider's batch list may lag a batch just created: a batch whose creation was asked for and not
    /// confirmed is submitted again only when a listing taken this long after the request does not show it. Ten
    /// minutes: neither provider documents how far its list may trail a creation; a list that trails at all (read from
    /// a replica, or an index updated after the write) does so by the seconds a write takes to propagate, so ten
    /// minutes is a hundred times that, and it costs under 1% of the 24-hour completion window, and only when a
    /// creation's answer was lost or the run was stopped while creating.
    /// </summary>
    public static readonly TimeSpan ListLag = TimeSpan.FromMinutes(10);
}
