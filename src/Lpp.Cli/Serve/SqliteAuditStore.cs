using System.Threading.Channels;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Lpp.Cli;

/// <summary>
/// The audit store in a SQLite database in WAL mode. Writes go through one writer thread that drains a channel and
/// commits everything waiting in one transaction (group commit): each request awaits the commit of the batch that
/// holds its rows, so nothing is answered before it is on disk, and many requests share one commit. With
/// <c>synchronous=NORMAL</c> in WAL mode a commit survives the process being killed (it is in the WAL file); a power
/// loss may lose the last commits. Reads use their own connections (WAL readers do not block the writer).
/// </summary>
internal sealed class SqliteAuditStore : IAuditStore
{
    private const string Schema = """
        PRAGMA journal_mode = WAL;
        CREATE TABLE IF NOT EXISTS decisions (
            decision_id   TEXT PRIMARY KEY,
            record_id     TEXT NOT NULL,
            created_ms    INTEGER NOT NULL,
            model         TEXT NOT NULL,
            reason        TEXT NOT NULL,
            queue         TEXT NOT NULL,
            score         REAL NOT NULL,
            cost          REAL NOT NULL,
            caller        TEXT NOT NULL,
            record_json   TEXT NOT NULL,
            decision_json TEXT NOT NULL,
            reviewed      INTEGER NOT NULL DEFAULT 0);
        CREATE INDEX IF NOT EXISTS decisions_pending ON decisions (queue, cost DESC, score)
            WHERE reviewed = 0 AND queue <> 'auto';
        CREATE TABLE IF NOT EXISTS reviews (
            decision_id TEXT PRIMARY KEY REFERENCES decisions (decision_id),
            verdict     TEXT NOT NULL,
            reviewer    TEXT NOT NULL,
            caller      TEXT NOT NULL,
            reviewed_ms INTEGER NOT NULL);
        """;

    private const string EntryColumns = "d.decision_id, d.record_id, d.reason, d.queue, d.score, d.cost, d.model, d.created_ms, d.record_json";

    private readonly string _connectionString;
    private readonly Channel<AuditWrite> _writes = Channel.CreateUnbounded<AuditWrite>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Dictionary<string, long[]> _pending = new(StringComparer.Ordinal);
    private readonly ServeMetrics? _metrics;
    private readonly SqliteConnection? _writer;
    private readonly Thread? _writerThread;

    private SqliteAuditStore(string path, bool readOnly, ServeMetrics? metrics)
    {
        _metrics = metrics;
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = readOnly ? SqliteOpenMode.ReadOnly : SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
        }.ToString();
        foreach (var queue in Queues.Escalation)
        {
            _pending[queue] = new long[1];
        }

        if (readOnly)
        {
            return;
        }

        _writer = new SqliteConnection(_connectionString);
        _writer.Open();
        Execute(_writer, Schema);
        Execute(_writer, "PRAGMA synchronous = NORMAL;");
        using (var count = _writer.CreateCommand())
        {
            count.CommandText = "SELECT queue, count(*) FROM decisions WHERE reviewed = 0 AND queue <> 'auto' GROUP BY queue";
            using var reader = count.ExecuteReader();
            while (reader.Read())
            {
                if (_pending.TryGetValue(reader.GetString(0), out var cell))
                {
                    cell[0] = reader.GetInt64(1);
                }
            }
        }

        _writerThread = new Thread(WriterLoop) { IsBackground = true, Name = "lpp audit writer" };
        _writerThread.Start();
    }

    /// <summary>Opens (creating if needed) the audit database for writing and starts the writer thread.</summary>
    /// <exception cref="CliException">The database cannot be opened.</exception>
    public static SqliteAuditStore Open(string path, ServeMetrics? metrics = null) => OpenCore(path, readOnly: false, metrics);

    /// <summary>Opens an existing audit database for reading only (export).</summary>
    /// <exception cref="CliException">The database cannot be opened.</exception>
    public static SqliteAuditStore OpenReadOnly(string path) =>
        File.Exists(path) ? OpenCore(path, readOnly: true, null) : throw new CliException($"--db {path}: no such file");

    public ValueTask AppendAsync(AuditDecision[] decisions, int count)
    {
        var write = new AuditWrite(decisions, count, null);
        return _writes.Writer.TryWrite(write) ? new ValueTask(write.Task) : ValueTask.FromException(new InvalidOperationException("the audit store is closed"));
    }

    public async ValueTask<ReviewStatus> ReviewAsync(AuditReview review)
    {
        var write = new AuditWrite(null, 0, review);
        if (!_writes.Writer.TryWrite(write))
        {
            throw new InvalidOperationException("the audit store is closed");
        }

        return await write.Task.ConfigureAwait(false);
    }

    public AuditEntry? Find(string decisionId)
    {
        using var connection = new SqliteConnection(_connectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {EntryColumns}, r.verdict FROM decisions d LEFT JOIN reviews r USING (decision_id) WHERE d.decision_id = $id";
        command.Parameters.AddWithValue("$id", decisionId);
        using var reader = command.ExecuteReader();
        return reader.Read() ? ReadEntry(reader) : null;
    }

    public IReadOnlyList<AuditEntry> Pending(string queue, int limit)
    {
        using var connection = new SqliteConnection(_connectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {EntryColumns}, NULL FROM decisions d INDEXED BY decisions_pending WHERE d.reviewed = 0 AND d.queue <> 'auto' AND d.queue = $queue ORDER BY d.cost DESC, d.score ASC LIMIT $limit";
        command.Parameters.AddWithValue("$queue", queue);
        command.Parameters.AddWithValue("$limit", limit);
        using var reader = command.ExecuteReader();
        var entries = new List<AuditEntry>();
        while (reader.Read())
        {
            entries.Add(ReadEntry(reader));
        }

        return entries;
    }

    public long PendingCount(string queue) => _pending.TryGetValue(queue, out var cell) ? Volatile.Read(ref cell[0]) : 0;

    public IEnumerable<AuditEntry> Reviewed()
    {
        using var connection = new SqliteConnection(_connectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {EntryColumns}, r.verdict FROM reviews r JOIN decisions d USING (decision_id) ORDER BY r.reviewed_ms, r.rowid";
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            yield return ReadEntry(reader);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _writes.Writer.TryComplete();
        if (_writerThread is not null)
        {
            await Task.Run(_writerThread.Join).ConfigureAwait(false);
        }

        if (_writer is not null)
        {
            await _writer.DisposeAsync().ConfigureAwait(false);
        }

        SqliteConnection.ClearPool(new SqliteConnection(_connectionString));
    }

    private static SqliteAuditStore OpenCore(string path, bool readOnly, ServeMetrics? metrics)
    {
        try
        {
            return new SqliteAuditStore(path, readOnly, metrics);
        }
        catch (SqliteException e)
        {
            throw new CliException($"--db {path}: {e.Message}");
        }
    }

    private static AuditEntry ReadEntry(SqliteDataReader reader) => new(
        reader.GetString(0),
        reader.GetString(1),
        reader.GetString(2),
        reader.GetString(3),
        reader.GetDouble(4),
        reader.GetDouble(5),
        reader.GetString(6),
        reader.GetInt64(7),
        System.Text.Encoding.UTF8.GetBytes(reader.GetString(8)),
        reader.IsDBNull(9) ? null : reader.GetString(9));

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private void WriterLoop()
    {
        var db = _writer!.Handle!;
        using var insert = Prepare(db, "INSERT INTO decisions (decision_id, record_id, created_ms, model, reason, queue, score, cost, caller, record_json, decision_json) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)");
        using var close = Prepare(db, "UPDATE decisions SET reviewed = 1 WHERE decision_id = ?1 AND reviewed = 0 RETURNING queue");
        using var exists = Prepare(db, "SELECT 1 FROM decisions WHERE decision_id = ?1");
        using var review = Prepare(db, "INSERT INTO reviews (decision_id, verdict, reviewer, caller, reviewed_ms) VALUES (?1, ?2, ?3, ?4, ?5)");
        var batch = new List<AuditWrite>();
        var added = new long[Queues.Escalation.Count];
        var reader = _writes.Reader;
        while (true)
        {
            if (!reader.TryRead(out var first))
            {
                if (!reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
                {
                    return;
                }

                continue;
            }

            batch.Add(first);
            var rows = Math.Max(1, first.Count);
            while (rows < ServeDefaults.MaxCommitRows && reader.TryRead(out var next))
            {
                batch.Add(next);
                rows += Math.Max(1, next.Count);
            }

            Array.Clear(added);
            try
            {
                Check(db, raw.sqlite3_exec(db, "BEGIN IMMEDIATE"));
                foreach (var write in batch)
                {
                    if (write.Review is { } r)
                    {
                        write.Status = Review(db, close, exists, review, r, added);
                    }
                    else
                    {
                        for (var i = 0; i < write.Count; i++)
                        {
                            Insert(db, insert, write.Decisions![i], added);
                        }
                    }
                }

                Check(db, raw.sqlite3_exec(db, "COMMIT"));
            }
            catch (Exception e) when (e is SqliteException or InvalidOperationException)
            {
                raw.sqlite3_exec(db, "ROLLBACK");
                foreach (var write in batch)
                {
                    write.TrySetException(e);
                }

                _metrics?.AuditFailed();
                batch.Clear();
                continue;
            }

            for (var q = 0; q < added.Length; q++)
            {
                Interlocked.Add(ref _pending[Queues.Escalation[q]][0], added[q]);
            }

            _metrics?.AuditCommitted(rows);
            foreach (var write in batch)
            {
                write.TrySetResult(write.Status);
            }

            batch.Clear();
        }
    }

    private static void Insert(sqlite3 db, sqlite3_stmt s, in AuditDecision d, long[] added)
    {
        raw.sqlite3_bind_text(s, 1, d.DecisionId);
        raw.sqlite3_bind_text(s, 2, d.RecordId);
        raw.sqlite3_bind_int64(s, 3, d.CreatedMs);
        raw.sqlite3_bind_text(s, 4, d.Model);
        raw.sqlite3_bind_text(s, 5, d.Reason);
        raw.sqlite3_bind_text(s, 6, d.Queue);
        raw.sqlite3_bind_double(s, 7, d.Score);
        raw.sqlite3_bind_double(s, 8, d.Cost);
        raw.sqlite3_bind_text(s, 9, d.Caller);
        raw.sqlite3_bind_text(s, 10, d.RecordJson.Span);
        raw.sqlite3_bind_text(s, 11, d.DecisionJson.Span);
        Step(db, s, raw.SQLITE_DONE);
        var q = QueueIndex(d.Queue);
        if (q >= 0)
        {
            added[q]++;
        }
    }

    private static ReviewStatus Review(sqlite3 db, sqlite3_stmt close, sqlite3_stmt exists, sqlite3_stmt insert, AuditReview r, long[] added)
    {
        raw.sqlite3_bind_text(close, 1, r.DecisionId);
        var rc = raw.sqlite3_step(close);
        if (rc == raw.SQLITE_ROW)
        {
            var q = QueueIndex(raw.sqlite3_column_text(close, 0).utf8_to_string());
            Step(db, close, raw.SQLITE_DONE);
            if (q >= 0)
            {
                added[q]--;
            }

            raw.sqlite3_bind_text(insert, 1, r.DecisionId);
            raw.sqlite3_bind_text(insert, 2, r.Verdict);
            raw.sqlite3_bind_text(insert, 3, r.Reviewer);
            raw.sqlite3_bind_text(insert, 4, r.Caller);
            raw.sqlite3_bind_int64(insert, 5, r.ReviewedMs);
            Step(db, insert, raw.SQLITE_DONE);
            return ReviewStatus.Recorded;
        }

        raw.sqlite3_reset(close);
        Check(db, rc == raw.SQLITE_DONE ? raw.SQLITE_OK : rc);
        raw.sqlite3_bind_text(exists, 1, r.DecisionId);
        var found = raw.sqlite3_step(exists) == raw.SQLITE_ROW;
        raw.sqlite3_reset(exists);
        return found ? ReviewStatus.AlreadyReviewed : ReviewStatus.NotFound;
    }

    private static int QueueIndex(string queue) => queue switch
    {
        Queues.Review => 0,
        Queues.SeniorReview => 1,
        Queues.PolicyReview => 2,
        _ => -1,
    };

    private static sqlite3_stmt Prepare(sqlite3 db, string sql)
    {
        Check(db, raw.sqlite3_prepare_v2(db, sql, out var statement));
        return statement;
    }

    private static void Step(sqlite3 db, sqlite3_stmt statement, int expected)
    {
        var rc = raw.sqlite3_step(statement);
        raw.sqlite3_reset(statement);
        if (rc != expected)
        {
            Check(db, rc == raw.SQLITE_OK ? raw.SQLITE_ERROR : rc);
        }
    }

    private static void Check(sqlite3 db, int rc)
    {
        if (rc != raw.SQLITE_OK)
        {
            throw new SqliteException(raw.sqlite3_errmsg(db).utf8_to_string(), rc);
        }
    }

    private sealed class AuditWrite(AuditDecision[]? decisions, int count, AuditReview? review)
        : TaskCompletionSource<ReviewStatus>(TaskCreationOptions.RunContinuationsAsynchronously)
    {
        public AuditDecision[]? Decisions { get; } = decisions;

        public int Count { get; } = count;

        public AuditReview? Review { get; } = review;

        public ReviewStatus Status { get; set; }
    }
}
