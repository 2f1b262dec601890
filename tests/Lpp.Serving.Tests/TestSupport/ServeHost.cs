namespace Lpp.Serving.Tests;

/// <summary>A server on a loopback port with its own model copy and audit store (a SQLite file, or a fresh PostgreSQL schema).</summary>
internal sealed class ServeHost : IAsyncDisposable
{
    private readonly SqliteAuditStore? _store;
    private readonly PostgresSchemas? _schemas;
    private readonly string? _postgres;

    private ServeHost(LppServer server, TempDir dir, string modelPath, string databasePath, SqliteAuditStore? store, PostgresSchemas? schemas, string? postgres)
    {
        _postgres = postgres;
        StoreArguments = postgres is null ? ["--db", databasePath] : ["--store", "postgres", "--store-connection-file", dir.Write("postgres-connection", postgres)];
        Server = server;
        Dir = dir;
        ModelPath = modelPath;
        DatabasePath = databasePath;
        _store = store;
        _schemas = schemas;
    }

    public LppServer Server { get; }

    public TempDir Dir { get; }

    public string ModelPath { get; }

    public string DatabasePath { get; }

    /// <summary>The SQLite audit database, opened read-only (SQLite hosts only).</summary>
    public SqliteAuditStore Store => _store ?? throw new InvalidOperationException("a PostgreSQL host has no SQLite store");

    public string Url => Server.Urls[0];

    /// <summary>The PostgreSQL connection string of this host's schema (PostgreSQL hosts only).</summary>
    public string Postgres => _postgres ?? throw new InvalidOperationException("a SQLite host has no PostgreSQL schema");

    /// <summary>The arguments that point an lpp command at this host's store.</summary>
    public IReadOnlyList<string> StoreArguments { get; }

    /// <summary>
    /// Starts a server on a copy of model A (or <paramref name="modelFile"/>) with a new store, or, given
    /// <paramref name="sharedPostgres"/>, on that PostgreSQL schema (a second replica; the caller drops the schema).
    /// </summary>
    public static async Task<ServeHost> StartAsync(Func<ServeOptions, ServeOptions>? configure = null, TimeProvider? time = null, AuditStoreKind store = AuditStoreKind.Sqlite, string? sharedPostgres = null, string? modelFile = null)
    {
        var dir = new TempDir();
        var model = dir.File("model.json");
        File.Copy(modelFile ?? ServeTestData.ModelA, model);
        store = sharedPostgres is null ? store : AuditStoreKind.Postgres;
        var schemas = store == AuditStoreKind.Postgres && sharedPostgres is null ? new PostgresSchemas() : null;
        var postgres = sharedPostgres ?? schemas?.Create();
        var options = new ServeOptions
        {
            ModelPath = model,
            Urls = "http://127.0.0.1:0",
            DatabasePath = dir.File("audit.db"),
            Store = store,
            PostgresConnection = postgres is null ? null : StoreConnection.Resolve(null, postgres),
        };
        options = configure?.Invoke(options) ?? options;
        var server = await LppServer.StartAsync(options, time ?? TimeProvider.System, consoleLog: false);
        return new ServeHost(server, dir, model, options.DatabasePath, store == AuditStoreKind.Sqlite ? SqliteAuditStore.OpenReadOnly(options.DatabasePath) : null, schemas, postgres);
    }

    /// <summary>The value of one series on /metrics (labels in name order), NaN when it is not exposed.</summary>
    public double Metric(string line)
    {
        using var client = ServeTestData.Client(Url, ServeTestData.AdminKey);
        var text = client.GetStringAsync("/metrics").GetAwaiter().GetResult();
        return PrometheusText.Parse(text)[line];
    }

    /// <summary>
    /// The value of one series once it is <paramref name="expected"/>, reading /metrics every 20 ms for up to 5 s (a
    /// handler records its duration just after its answer is sent, so a client can read /metrics first); the last value
    /// read when it never is.
    /// </summary>
    public async Task<double> MetricReachingAsync(string line, double expected)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            var value = Metric(line);
            if (value == expected || waited.Elapsed > TimeSpan.FromSeconds(5))
            {
                return value;
            }

            await Task.Delay(20, TestContext.Current.CancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_store is not null)
        {
            await _store.DisposeAsync();
        }

        await Server.DisposeAsync();
        _schemas?.Dispose();
        Dir.Dispose();
    }
}
