namespace Lpp.Serving;

/// <summary>How <c>lpp serve</c> runs: model, addresses, audit database, keys and limits.</summary>
public sealed record ServeOptions
{
    /// <summary>The model file served, watched for changes and replaced by <c>POST /v1/admin/model</c>.</summary>
    public required string ModelPath { get; init; }

    /// <value>Semicolon-separated URLs; default <see cref="ServeDefaults.Urls"/> (loopback).</value>
    public string Urls { get; init; } = ServeDefaults.Urls;

    /// <value>The SQLite audit database (with <see cref="AuditStoreKind.Sqlite"/>); default <see cref="ServeDefaults.Database"/>.</value>
    public string DatabasePath { get; init; } = ServeDefaults.Database;

    /// <value>How the SQLite store syncs each commit; default <see cref="AuditDurability.Full"/> (a power cut loses no answered decision).</value>
    public AuditDurability Durability { get; init; } = AuditDurability.Full;

    /// <value>Where decisions, queues and reviews are kept; default <see cref="AuditStoreKind.Sqlite"/>.</value>
    public AuditStoreKind Store { get; init; } = AuditStoreKind.Sqlite;

    /// <value>The PostgreSQL database (required with <see cref="AuditStoreKind.Postgres"/>); its string form hides the password.</value>
    public StoreConnection? PostgresConnection { get; init; }

    /// <value>The API keys file, or null for no authentication (loopback use only).</value>
    public string? ApiKeysPath { get; init; }

    /// <value>Largest request body in bytes (413 above it); default <see cref="ServeDefaults.MaxBodyBytes"/>.</value>
    public long MaxBodyBytes { get; init; } = ServeDefaults.MaxBodyBytes;

    /// <value>Most records in one batch (413 above it); default <see cref="ServeDefaults.MaxBatchRecords"/>.</value>
    public int MaxBatchRecords { get; init; } = ServeDefaults.MaxBatchRecords;

    /// <value>Requests per second allowed per API key (429 above it), 0 for no limit; default <see cref="ServeDefaults.RateLimit"/>.</value>
    public double RateLimit { get; init; } = ServeDefaults.RateLimit;

    /// <value>Requests a key may send at once before the rate applies; default: one second's worth (at least 1).</value>
    public double? RateBurst { get; init; }

    /// <value>
    /// The share of trusted decisions also sent to the <c>audit</c> queue for review, from 0 to 1 (a decision is sampled
    /// when its id hashes below it, <see cref="AuditSampling"/>); default <see cref="ServeDefaults.AuditRate"/>.
    /// </value>
    public double AuditRate { get; init; } = ServeDefaults.AuditRate;

    /// <value>
    /// A costs file (<c>{"default", "by", "values"}</c>, as <c>lpp train --costs</c> reads) whose costs by severity
    /// replace those of every model served, or null for the model file's own; default null.
    /// </value>
    public string? CostsPath { get; init; }

    /// <value>
    /// Reviewers' capacity per escalation queue over the trailing hour (<c>--capacity review=600/h</c>), or null for
    /// none; default null. Escalations beyond it are trusted instead (<see cref="CapacityGate"/>).
    /// </value>
    public ReviewCapacity? Capacity { get; init; }

    /// <value>
    /// A second model file that scores every decision beside the served one (<c>--shadow-model</c>), its score and
    /// decision stored with the decision for <c>lpp monitor</c> while the answer stays the served model's; fixed for the
    /// process's life (never reloaded or replaced). Default null: none.
    /// </value>
    public string? ShadowModelPath { get; init; }

    /// <value>Whether to reload the model when its file changes on disk; default true.</value>
    public bool WatchModel { get; init; } = true;

    /// <value>
    /// Whether to score records the model was not trained for (other labels, a missing signal it relies on); default
    /// false: such a record is refused with 422 naming the field, as <c>lpp route</c> refuses it.
    /// </value>
    public bool AllowShapeMismatch { get; init; }

    /// <summary>The burst in force: <see cref="RateBurst"/> or one second's worth of requests, at least 1.</summary>
    public double EffectiveBurst => RateBurst ?? Math.Max(1, RateLimit);

    /// <summary>Throws naming the option and its allowed range when a value is out of range.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public void Validate()
    {
        if (Store == AuditStoreKind.Postgres && PostgresConnection is null)
        {
            throw new ArgumentOutOfRangeException(nameof(PostgresConnection), $"--store postgres needs a connection string: set {StoreConnection.EnvironmentVariable} or pass --store-connection-file FILE");
        }

        if (MaxBodyBytes is < 1024 or > ServeDefaults.MaxBodyBytesLimit)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxBodyBytes), MaxBodyBytes, $"--max-body-bytes must be from 1024 to {ServeDefaults.MaxBodyBytesLimit} (got {MaxBodyBytes})");
        }

        if (MaxBatchRecords < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxBatchRecords), MaxBatchRecords, $"--max-batch must be at least 1 (got {MaxBatchRecords})");
        }

        if (!(RateLimit >= 0) || !double.IsFinite(RateLimit))
        {
            throw new ArgumentOutOfRangeException(nameof(RateLimit), RateLimit, FormattableString.Invariant($"--rate-limit must be a number >= 0 (got {RateLimit})"));
        }

        if (!(AuditRate >= 0 && AuditRate <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(AuditRate), AuditRate, FormattableString.Invariant($"--audit-rate must be a number from 0 to 1 (got {AuditRate})"));
        }

        if (RateBurst is { } burst && (!(burst >= 1) || !double.IsFinite(burst)))
        {
            throw new ArgumentOutOfRangeException(nameof(RateBurst), burst, FormattableString.Invariant($"--rate-burst must be a number >= 1 (got {burst})"));
        }
    }
}
