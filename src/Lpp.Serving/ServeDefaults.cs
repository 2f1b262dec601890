namespace Lpp.Serving;

/// <summary>The defaults of <see cref="ServeOptions"/>, defined once.</summary>
public static class ServeDefaults
{
    /// <value>Loopback only: <c>http://127.0.0.1:5080</c>.</value>
    public const string Urls = "http://127.0.0.1:5080";

    /// <value><c>audit.db</c> in the working directory.</value>
    public const string Database = "audit.db";

    /// <value>8 MiB per request body.</value>
    public const long MaxBodyBytes = 8L * 1024 * 1024;

    /// <value>1 GiB: the most <c>--max-body-bytes</c> accepts. A body is held in one array, grown by doubling, and an
    /// array's length is an <see cref="int"/>.</value>
    public const long MaxBodyBytesLimit = 1L << 30;

    /// <value>10,000 records per batch request.</value>
    public const int MaxBatchRecords = 10_000;

    /// <value>0: no per-key rate limit.</value>
    public const double RateLimit = 0;

    /// <value>50 items per queue page.</value>
    public const int QueueLimit = 50;

    /// <value>1,000 items at most per queue page.</value>
    public const int MaxQueueLimit = 1_000;

    /// <value>A request body is first read into at most 64 KiB, then the buffer doubles as bytes arrive.</value>
    public const int FirstBodyBufferBytes = 64 * 1024;

    /// <value>At most 1,024 open connections; more wait in the listen queue.</value>
    public const int MaxConnections = 1_024;

    /// <value>A client has 30 seconds to send a request's headers.</value>
    public const int RequestHeadersTimeoutSeconds = 30;

    /// <value>A SQLite statement waits up to 5 seconds for a lock held by another connection before failing.</value>
    public const int BusyTimeoutMs = 5_000;

    /// <value>A claim's lease lasts 300 seconds unless it says otherwise.</value>
    public const int LeaseSeconds = 300;

    /// <value>The shortest lease a claim may ask for: 10 seconds.</value>
    public const int MinLeaseSeconds = 10;

    /// <value>The longest lease a claim may ask for: 86,400 seconds (a day).</value>
    public const int MaxLeaseSeconds = 86_400;

    /// <value>Up to 8,192 decisions or reviews per audit commit.</value>
    public const int MaxCommitRows = 8_192;

    /// <value>4,096 WAL pages (16 MiB at 4 KiB pages) before the audit writer checkpoints the rest of the WAL itself.</value>
    public const int WalAutoCheckpointPages = 4_096;

    /// <value>50 ms between the audit store's background (passive) WAL checkpoints.</value>
    public const int CheckpointIntervalMs = 50;

    /// <value>3,600 s: the sliding window of the monitoring gauges on <c>/metrics</c> (the last hour).</value>
    public const int MonitorWindowSeconds = 3_600;

    /// <value>60 s: the monitoring window moves a minute at a time.</value>
    public const int MonitorBucketSeconds = 60;

    /// <value>3,600,000 ms: <c>--capacity</c> counts escalations over the trailing hour.</value>
    public const long CapacityWindowMs = 3_600_000;

    /// <value>1,000 ms: the saving an escalation needs under <c>--capacity</c> is recomputed at most every second.</value>
    public const long CapacityRefreshMs = 1_000;

    /// <value>0: no trusted decision is sampled for audit.</value>
    public const double AuditRate = 0;

    /// <value>Request bodies of 4 KiB or more are stored deflated in the audit log; smaller ones as received.</value>
    public const int CompressBodyBytes = 4096;

    /// <value>Every 500 ms each server looks for a newer model release in the audit store (served within 2 s everywhere).</value>
    public const int ModelPollMs = 500;

    /// <value>A changed model file is read once it has been quiet for 250 ms, and an invalid one read again 250 ms later before it is refused.</value>
    public const int ModelSettleMs = 250;

    /// <value>After 3 group commits in a row whose decisions all failed a server is not ready (<c>/readyz</c> 503) until a decision or probe commits.</value>
    public const int UnreadyAfterFailures = 3;

    /// <value>While decisions fail to commit, the audit writer tries a probe commit every 1,000 ms, so readiness returns without traffic.</value>
    public const int ProbeIntervalMs = 1_000;
}
