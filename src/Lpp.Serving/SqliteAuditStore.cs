using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Lpp.Serving;

/// <summary>
/// The audit store in a SQLite database in WAL mode, one row per request (format 6; older formats from 2 are migrated
/// by adding what they lack: format 2 the lease columns, 2 and 3 the audit rate, 0 for their decisions, 2 to 4 the
/// model releases, 2 to 5 the shadow model's columns, empty for their decisions). A <c>requests</c> row holds the
/// body as received, the model, caller, time and audit rate in force, and its decisions packed (per decision: where the record lies in
/// the body, batch index, reason, queue, score, cost), and with a shadow model (<c>--shadow-model</c>) its model and
/// its score and reason per decision; decision number k has id first_id + k
/// (<see cref="DecisionIds"/>). Escalated decisions also get a small <c>pending</c> row (appended in key order),
/// deleted when reviewed, holding the reviewer's lease once claimed; the queues' order and the leases are kept in memory
/// too (<see cref="PendingQueues"/>). Model files are stored once in <c>models</c>; the decision JSON a client received
/// is rebuilt from the record and the model file (<see cref="DecisionRebuilder"/>). So an answered decision costs its
/// record's bytes plus about 30, and one B-tree insert per request rather than per decision; a batch body of
/// <see cref="ServeDefaults.CompressBodyBytes"/> or more is stored deflated (about 15 times smaller).
/// Writes go through one writer thread that drains a channel and commits everything waiting in one transaction
/// (group commit): each request awaits the commit that holds its row, so nothing is answered before it is in the
/// WAL file. With <c>synchronous=FULL</c> (the default) a commit survives a power cut; with <see cref="AuditDurability.Fast"/>
/// (<c>synchronous=NORMAL</c>) it survives the process being killed, and a power loss may lose the last commits.
/// One server writes a database: it holds an exclusive lock on <c>DB.lock</c> while open. Reads use their own
/// connections (WAL readers do not block the writer).
/// </summary>
internal sealed class SqliteAuditStore : IAuditStore
{
    /// <summary>
    /// The layout version in <c>PRAGMA user_version</c>; 1 was one row per decision with both JSON texts, 2 had no
    /// leases, 3 no audit rate, 4 no model releases, 5 no shadow model (2 to 5 migrate by adding what is missing).
    /// </summary>
    private const int FormatVersion = 6;

    private const string Schema = """
        PRAGMA journal_mode = WAL;
        CREATE TABLE IF NOT EXISTS models (
            model_ref  INTEGER PRIMARY KEY,
            checksum   TEXT NOT NULL UNIQUE,
            model_file BLOB NOT NULL);
        CREATE TABLE IF NOT EXISTS requests (
            request_ref INTEGER PRIMARY KEY,
            first_id    BLOB NOT NULL UNIQUE,
            count       INTEGER NOT NULL,
            created_ms  INTEGER NOT NULL,
            model_ref   INTEGER NOT NULL REFERENCES models (model_ref),
            caller      TEXT NOT NULL,
            decisions   BLOB NOT NULL,
            body_codec  INTEGER NOT NULL,
            body        BLOB NOT NULL,
            audit_rate  REAL NOT NULL DEFAULT 0,
            shadow_ref  INTEGER REFERENCES models (model_ref),
            shadow      BLOB);
        CREATE TABLE IF NOT EXISTS pending (
            request_ref INTEGER NOT NULL REFERENCES requests (request_ref),
            k           INTEGER NOT NULL,
            queue       TEXT NOT NULL,
            cost        REAL NOT NULL,
            score       REAL NOT NULL,
            claimed_by  TEXT,
            lease_expires_ms INTEGER,
            PRIMARY KEY (request_ref, k)) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS reviews (
            decision_id BLOB PRIMARY KEY,
            request_ref INTEGER NOT NULL REFERENCES requests (request_ref),
            k           INTEGER NOT NULL,
            verdict     TEXT NOT NULL,
            reviewer    TEXT NOT NULL,
            caller      TEXT NOT NULL,
            reviewed_ms INTEGER NOT NULL);
        CREATE TABLE IF NOT EXISTS model_releases (
            release      INTEGER PRIMARY KEY,
            model_ref    INTEGER NOT NULL REFERENCES models (model_ref),
            published_ms INTEGER NOT NULL);
        CREATE TABLE IF NOT EXISTS heartbeat (
            id     INTEGER PRIMARY KEY CHECK (id = 1),
            probes INTEGER NOT NULL);
        """;

    /// <summary>
    /// Columns 0-10 of every entry query (<see cref="AuditRows.Entry(System.Data.Common.DbDataReader, int, DecisionRecordParser)"/>;
    /// read-only on a database of format 2 or 3 the audit rate is 0, before format 6 there is no shadow); the review's
    /// follow (or NULLs), then the decision's k where a query reads it.
    /// </summary>
    private readonly string _entryColumns = "q.first_id, q.count, q.created_ms, m.checksum, q.decisions, q.body, q.body_codec, q.caller, q.audit_rate, s.checksum, q.shadow";

    /// <summary>The join that names the shadow model of each request (nothing, read-only, before format 6).</summary>
    private readonly string _shadowJoin = " LEFT JOIN models s ON s.model_ref = q.shadow_ref";

    private const string ReviewColumns = "r.verdict, r.reviewer, r.caller, r.reviewed_ms";

    /// <summary>The rows a decision writes, written and rolled back by the probe commit (nothing of them is kept).</summary>
    private const string ProbeRows = """
        SAVEPOINT lpp_probe;
        INSERT INTO models (checksum, model_file) VALUES ('lpp-probe', x'');
        INSERT INTO requests (first_id, count, created_ms, model_ref, caller, decisions, body_codec, body, audit_rate)
            VALUES (zeroblob(16), 1, 0, last_insert_rowid(), 'lpp-probe', zeroblob(30), 0, x'7b7d', 0);
        INSERT INTO pending (request_ref, k, queue, cost, score) VALUES (last_insert_rowid(), 0, 'review', 0, 0);
        ROLLBACK TO lpp_probe;
        RELEASE lpp_probe;
        """;

    private readonly string _connectionString;
    private readonly AuditWriteQueue _queue;
    private readonly PendingQueues? _queues;
    private readonly Dictionary<(long RequestRef, int K), (string Reviewer, long ExpiresMs)> _leases = [];
    private readonly SqliteConnection? _writer;
    private readonly Thread? _writerThread;
    private readonly Thread? _checkpointThread;
    private readonly ManualResetEventSlim _stopping = new();
    private readonly FileStream? _lock;

    private SqliteAuditStore(string path, bool readOnly, ServeMetrics? metrics, AuditDurability durability)
    {
        _queue = new AuditWriteQueue(metrics);
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = readOnly ? SqliteOpenMode.ReadOnly : SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
        }.ToString();
        if (readOnly)
        {
            using var reader = new SqliteConnection(_connectionString);
            reader.Open();
            var stored = CheckFormat(reader, path);
            if (stored < 4)
            {
                _entryColumns = _entryColumns.Replace("q.audit_rate", "0.0", StringComparison.Ordinal);
            }

            if (stored < 6)
            {
                _entryColumns = _entryColumns.Replace("s.checksum, q.shadow", "NULL, NULL", StringComparison.Ordinal);
                _shadowJoin = string.Empty;
            }

            return;
        }

        try
        {
            // FileShare.None is an exclusive advisory lock (flock) on Unix, released when the process ends however it ends.
            _lock = new FileStream(path + ".lock", FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException)
        {
            throw new ServeException($"--db {path}: another lpp serve is using this database (it holds {path}.lock); serve one database from one process, or use --store postgres for several replicas");
        }

        _writer = new SqliteConnection(_connectionString);
        _writer.Open();
        var format = CheckFormat(_writer, path);
        if (format == 2)
        {
            Execute(_writer, "ALTER TABLE pending ADD COLUMN claimed_by TEXT; ALTER TABLE pending ADD COLUMN lease_expires_ms INTEGER;");
        }

        if (format < 4)
        {
            Execute(_writer, "ALTER TABLE requests ADD COLUMN audit_rate REAL NOT NULL DEFAULT 0;");
        }

        if (format < 6)
        {
            Execute(_writer, "ALTER TABLE requests ADD COLUMN shadow_ref INTEGER REFERENCES models (model_ref); ALTER TABLE requests ADD COLUMN shadow BLOB;");
        }

        Execute(_writer, Schema);
        Execute(_writer, FormattableString.Invariant($"PRAGMA user_version = {FormatVersion}; PRAGMA synchronous = {(durability == AuditDurability.Full ? "FULL" : "NORMAL")}; PRAGMA busy_timeout = {ServeDefaults.BusyTimeoutMs}; PRAGMA wal_autocheckpoint = {ServeDefaults.WalAutoCheckpointPages};"));
        using (var synchronous = _writer.CreateCommand())
        {
            synchronous.CommandText = "PRAGMA synchronous";
            Synchronous = Convert.ToInt32(synchronous.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
        }

        _queues = new PendingQueues();
        using (var load = _writer.CreateCommand())
        {
            load.CommandText = "SELECT queue, cost, score, request_ref, k, claimed_by, lease_expires_ms FROM pending";
            using var reader = load.ExecuteReader();
            var items = new List<PendingItem>();
            while (reader.Read())
            {
                items.Add(new PendingItem(reader.GetString(0), reader.GetDouble(1), reader.GetDouble(2), reader.GetInt64(3), reader.GetInt32(4)));
                if (!reader.IsDBNull(5))
                {
                    _leases[(reader.GetInt64(3), reader.GetInt32(4))] = (reader.GetString(5), reader.GetInt64(6));
                }
            }

            _queues.Apply(items, []);
        }

        _writerThread = new Thread(WriterLoop) { IsBackground = true, Name = "lpp audit writer" };
        _writerThread.Start();
        _checkpointThread = new Thread(CheckpointLoop) { IsBackground = true, Name = "lpp audit checkpoint" };
        _checkpointThread.Start();
    }

    /// <summary>The writer's <c>PRAGMA synchronous</c>: 2 FULL, 1 NORMAL (0 for a read-only store).</summary>
    public int Synchronous { get; }

    /// <summary>Opens (creating if needed) the audit database for writing, takes its lock and starts the writer thread.</summary>
    /// <exception cref="ServeException">The database cannot be opened, or another server holds it.</exception>
    public static SqliteAuditStore Open(string path, ServeMetrics? metrics = null, AuditDurability durability = AuditDurability.Full) => OpenCore(path, readOnly: false, metrics, durability);

    /// <summary>Opens an existing audit database for reading only (export).</summary>
    /// <exception cref="ServeException">The database cannot be opened.</exception>
    public static SqliteAuditStore OpenReadOnly(string path) =>
        File.Exists(path) ? OpenCore(path, readOnly: true, null, AuditDurability.Full) : throw new ServeException($"--db {path}: no such file");

    public ValueTask AppendAsync(AuditRequest request) => new(_queue.Enqueue(new AuditWrite(request)));

    public async ValueTask<ReviewOutcome> ReviewAsync(AuditReview review)
    {
        var write = new AuditWrite(review);
        await _queue.Enqueue(write).ConfigureAwait(false);
        return write.Outcome!;
    }

    public async ValueTask<IReadOnlyList<ClaimedItem>> ClaimAsync(ClaimRequest claim)
    {
        var write = new AuditWrite(claim);
        await _queue.Enqueue(write).ConfigureAwait(false);
        using var connection = new SqliteConnection(_connectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {_entryColumns}, NULL, NULL, NULL, NULL FROM requests q JOIN models m USING (model_ref){_shadowJoin} WHERE q.request_ref = $ref";
        var requestRef = command.Parameters.Add("$ref", SqliteType.Integer);
        var parser = new DecisionRecordParser();
        var items = new List<ClaimedItem>();
        foreach (var (itemRef, k) in write.ClaimedRefs!)
        {
            requestRef.Value = itemRef;
            using var reader = command.ExecuteReader();
            if (reader.Read())
            {
                items.Add(new ClaimedItem(AuditRows.Entry(reader, k, parser), claim.LeaseExpiresMs));
            }
        }

        return items;
    }

    public async ValueTask<long> PublishModelAsync(ServedModel model, long publishedMs)
    {
        var write = new AuditWrite(model, publishedMs);
        await _queue.Enqueue(write).ConfigureAwait(false);
        return write.Release;
    }

    public ModelRelease? CurrentModel()
    {
        using var connection = new SqliteConnection(_connectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT r.release, m.checksum FROM model_releases r JOIN models m USING (model_ref) ORDER BY r.release DESC LIMIT 1";
        using var reader = command.ExecuteReader();
        return reader.Read() ? new ModelRelease(reader.GetInt64(0), reader.GetString(1)) : null;
    }

    public AuditEntry? Find(string decisionId)
    {
        if (!DecisionIds.TryParse(decisionId, out var id))
        {
            return null;
        }

        var key = DecisionIds.Key(id);
        using var connection = new SqliteConnection(_connectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {_entryColumns}, {ReviewColumns} FROM requests q JOIN models m USING (model_ref){_shadowJoin} LEFT JOIN reviews r ON r.decision_id = $id WHERE q.first_id <= $id ORDER BY q.first_id DESC LIMIT 1";
        command.Parameters.AddWithValue("$id", key);
        using var reader = command.ExecuteReader();
        if (!reader.Read())
        {
            return null;
        }

        var k = DecisionIds.Offset((byte[])reader.GetValue(0), key);
        return k < 0 || k >= reader.GetInt64(1) ? null : AuditRows.Entry(reader, (int)k, new DecisionRecordParser());
    }

    public byte[]? ModelFile(string checksum)
    {
        using var connection = new SqliteConnection(_connectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT model_file FROM models WHERE checksum = $checksum";
        command.Parameters.AddWithValue("$checksum", checksum);
        return command.ExecuteScalar() as byte[];
    }

    public IEnumerable<AuditEntry> Decisions(long? sinceMs, long? untilMs)
    {
        using var connection = new SqliteConnection(_connectionString);
        connection.Open();
        using var reviews = connection.CreateCommand();
        reviews.CommandText = $"SELECT r.k, {ReviewColumns} FROM reviews r WHERE r.request_ref = $ref";
        var reviewRef = reviews.Parameters.Add("$ref", SqliteType.Integer);
        using var requests = connection.CreateCommand();
        requests.CommandText = $"SELECT {_entryColumns}, q.request_ref FROM requests q JOIN models m USING (model_ref){_shadowJoin} WHERE q.created_ms >= $since AND q.created_ms < $until ORDER BY q.request_ref";
        requests.Parameters.AddWithValue("$since", sinceMs ?? long.MinValue);
        requests.Parameters.AddWithValue("$until", untilMs ?? long.MaxValue);
        using var reader = requests.ExecuteReader();
        var parser = new DecisionRecordParser();
        while (reader.Read())
        {
            reviewRef.Value = reader.GetInt64(AuditRows.ReviewColumn);
            var byK = new Dictionary<int, StoredReview>();
            using (var reviewed = reviews.ExecuteReader())
            {
                while (reviewed.Read())
                {
                    byK[reviewed.GetInt32(0)] = new StoredReview(reviewed.GetString(1), reviewed.GetString(2), reviewed.GetString(3), reviewed.GetInt64(4));
                }
            }

            var first = (byte[])reader.GetValue(0);
            var decisions = (byte[])reader.GetValue(4);
            var body = AuditRows.Body((byte[])reader.GetValue(5), reader.GetInt32(6));
            var shadow = AuditRows.Shadow(reader);
            for (var k = 0; k < reader.GetInt32(1); k++)
            {
                yield return AuditRows.Entry(first, decisions, body, k, reader.GetInt64(2), reader.GetString(3), reader.GetString(7), byK.GetValueOrDefault(k), parser, reader.GetDouble(8), shadow);
            }
        }
    }

    public IReadOnlyList<AuditEntry> Pending(string queue, int limit)
    {
        using var connection = new SqliteConnection(_connectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        var entries = new List<AuditEntry>();
        var parser = new DecisionRecordParser();
        if (_queues is null)
        {
            // Read-only (no writer, no order in memory): sort in SQL.
            command.CommandText = $"SELECT {_entryColumns}, NULL, NULL, NULL, NULL, p.k FROM pending p JOIN requests q USING (request_ref) JOIN models m USING (model_ref){_shadowJoin} WHERE p.queue = $queue ORDER BY p.cost DESC, p.score ASC, p.request_ref, p.k LIMIT $limit";
            command.Parameters.AddWithValue("$queue", queue);
            command.Parameters.AddWithValue("$limit", limit);
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                entries.Add(AuditRows.Entry(reader, reader.GetInt32(AuditRows.KColumn), parser));
            }

            return entries;
        }

        command.CommandText = $"SELECT {_entryColumns}, NULL, NULL, NULL, NULL FROM requests q JOIN models m USING (model_ref){_shadowJoin} WHERE q.request_ref = $ref";
        var requestRef = command.Parameters.Add("$ref", SqliteType.Integer);
        foreach (var item in _queues.Top(queue, limit))
        {
            requestRef.Value = item.RequestRef;
            using var reader = command.ExecuteReader();
            if (reader.Read())
            {
                entries.Add(AuditRows.Entry(reader, item.K, parser));
            }
        }

        return entries;
    }

    public long PendingCount(string queue)
    {
        if (_queues is not null)
        {
            return _queues.Count(queue);
        }

        using var connection = new SqliteConnection(_connectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM pending WHERE queue = $queue";
        command.Parameters.AddWithValue("$queue", queue);
        return (long)command.ExecuteScalar()!;
    }

    public IEnumerable<AuditEntry> Reviewed()
    {
        using var connection = new SqliteConnection(_connectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {_entryColumns}, {ReviewColumns}, r.k FROM reviews r JOIN requests q USING (request_ref) JOIN models m USING (model_ref){_shadowJoin} ORDER BY r.reviewed_ms, r.rowid";
        using var reader = command.ExecuteReader();
        var parser = new DecisionRecordParser();
        while (reader.Read())
        {
            yield return AuditRows.Entry(reader, reader.GetInt32(AuditRows.KColumn), parser);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Close();
        _stopping.Set();
        if (_checkpointThread is not null)
        {
            await Task.Run(_checkpointThread.Join).ConfigureAwait(false);
        }

        if (_writerThread is not null)
        {
            await Task.Run(_writerThread.Join).ConfigureAwait(false);
        }

        if (_writer is not null)
        {
            await _writer.DisposeAsync().ConfigureAwait(false);
        }

        SqliteConnection.ClearPool(new SqliteConnection(_connectionString));
        _stopping.Dispose();
        if (_lock is not null)
        {
            await _lock.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static SqliteAuditStore OpenCore(string path, bool readOnly, ServeMetrics? metrics, AuditDurability durability)
    {
        try
        {
            return new SqliteAuditStore(path, readOnly, metrics, durability);
        }
        catch (SqliteException e)
        {
            throw new ServeException($"--db {path}: {e.Message}");
        }
    }

    /// <summary>The database's format (2 to 6; 6 for a new database), or a refusal naming it.</summary>
    private static long CheckFormat(SqliteConnection connection, string path)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT (SELECT user_version FROM pragma_user_version), (SELECT count(*) FROM sqlite_schema WHERE type = 'table')";
        using var reader = command.ExecuteReader();
        reader.Read();
        var version = reader.GetInt64(0);
        if (version is >= 2 and <= FormatVersion || (version == 0 && reader.GetInt64(1) == 0))
        {
            return version == 0 ? FormatVersion : version;
        }

        throw new ServeException(version == 0
            ? $"--db {path}: not an audit database of this lpp (format 1, from an earlier lpp serve, kept one row per decision; this lpp reads format {FormatVersion}): serve on a new --db, and export the old one with the lpp that wrote it"
            : $"--db {path}: audit database format {version} is not known to this lpp (it reads format {FormatVersion})");
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    /// <summary>
    /// Copies committed WAL pages into the database every <see cref="ServeDefaults.CheckpointIntervalMs"/> from its
    /// own connection (a passive checkpoint never blocks the writer), so the writer's own checkpoints, once the WAL
    /// passes <see cref="ServeDefaults.WalAutoCheckpointPages"/>, only have the last few pages left to copy and its
    /// commits do not stall behind a large one.
    /// </summary>
    private void CheckpointLoop()
    {
        using var connection = new SqliteConnection(_connectionString);
        connection.Open();
        while (!_stopping.Wait(ServeDefaults.CheckpointIntervalMs))
        {
            try
            {
                Execute(connection, "PRAGMA wal_checkpoint(PASSIVE)");
            }
            catch (SqliteException)
            {
                // Busy or failing: the writer's own checkpoints still bound the WAL; try again next time.
            }
        }
    }

    /// <inheritdoc />
    public bool Ready => _writerThread is { IsAlive: true } && _queue.Open && _queue.Healthy;

    /// <summary>Probe commits the writer has tried while decisions failed (tests wait on it).</summary>
    internal long ProbesTried => _queue.Probes;

    private void WriterLoop()
    {
        var db = _writer!.Handle!;
        using var insert = Prepare(db, "INSERT INTO requests (first_id, count, created_ms, model_ref, caller, decisions, body_codec, body, audit_rate, shadow_ref, shadow) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)");
        using var pend = Prepare(db, "INSERT INTO pending (request_ref, k, queue, cost, score) VALUES (?1, ?2, ?3, ?4, ?5)");
        using var findModel = Prepare(db, "SELECT model_ref FROM models WHERE checksum = ?1");
        using var addModel = Prepare(db, "INSERT INTO models (checksum, model_file) VALUES (?1, ?2)");
        using var release = Prepare(db, "INSERT INTO model_releases (model_ref, published_ms) VALUES (?1, ?2)");
        using var heartbeat = Prepare(db, "INSERT INTO heartbeat (id, probes) VALUES (1, 1) ON CONFLICT (id) DO UPDATE SET probes = probes + 1");
        var statements = new ReviewStatements(
            Prepare(db, "SELECT verdict, reviewer, caller, reviewed_ms FROM reviews WHERE decision_id = ?1"),
            Prepare(db, "SELECT request_ref, first_id, count FROM requests WHERE first_id <= ?1 ORDER BY first_id DESC LIMIT 1"),
            Prepare(db, "DELETE FROM pending WHERE request_ref = ?1 AND k = ?2 RETURNING queue, cost, score"),
            Prepare(db, "INSERT INTO reviews (decision_id, request_ref, k, verdict, reviewer, caller, reviewed_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"));
        using var dispose = statements;
        using var lease = Prepare(db, "UPDATE pending SET claimed_by = ?3, lease_expires_ms = ?4 WHERE request_ref = ?1 AND k = ?2");
        var leases = new Dictionary<(long RequestRef, int K), (string Reviewer, long ExpiresMs)?>();
        var models = new Dictionary<ServedModel, long>(ReferenceEqualityComparer.Instance);
        var packed = new byte[(AuditRows.PackedSize + AuditRows.ShadowPackedSize) * 128];
        var compressed = new MemoryStream(1 << 16);
        var batch = new List<AuditWrite>();
        var added = new List<PendingItem>();
        var removed = new List<PendingItem>();

        // One transaction for the writes given; the in-memory queues and leases follow only once it committed.
        ValueTask Commit(IReadOnlyList<AuditWrite> writes)
        {
            added.Clear();
            removed.Clear();
            leases.Clear();
            try
            {
                Check(db, raw.sqlite3_exec(db, "BEGIN IMMEDIATE"));
                foreach (var write in writes)
                {
                    if (write.Review is { } r)
                    {
                        write.Outcome = Review(db, statements, r, removed, leases);
                    }
                    else if (write.Claim is { } c)
                    {
                        write.ClaimedRefs = Claim(db, lease, c, removed, leases);
                    }
                    else if (write.Publication is { } p)
                    {
                        raw.sqlite3_bind_int64(release, 1, ModelRef(db, findModel, addModel, p.Model));
                        raw.sqlite3_bind_int64(release, 2, p.PublishedMs);
                        Step(db, release, raw.SQLITE_DONE);
                        write.Release = raw.sqlite3_last_insert_rowid(db);
                    }
                    else
                    {
                        var request = write.Request!;
                        var modelRef = Ref(request.Model);
                        long? shadowRef = request.Shadow is { } shadow ? Ref(shadow) : null;
                        if (packed.Length < request.Count * (AuditRows.PackedSize + AuditRows.ShadowPackedSize))
                        {
                            packed = new byte[request.Count * (AuditRows.PackedSize + AuditRows.ShadowPackedSize) * 2];
                        }

                        Insert(db, insert, pend, request, modelRef, shadowRef, packed, compressed, added);
                    }
                }

                Check(db, raw.sqlite3_exec(db, "COMMIT"));
            }
            catch (Exception e) when (e is SqliteException or InvalidOperationException)
            {
                raw.sqlite3_exec(db, "ROLLBACK");
                models.Clear();
                throw;
            }

            _queues!.Apply(added, removed);
            lock (_leases)
            {
                foreach (var (item, held) in leases)
                {
                    if (held is { } h)
                    {
                        _leases[item] = h;
                    }
                    else
                    {
                        _leases.Remove(item);
                    }
                }
            }

            return ValueTask.CompletedTask;
        }

        Func<IReadOnlyList<AuditWrite>, ValueTask> commit = Commit;
        Func<Exception, AuditWriteQueue.Fault?> fault = Fault;
        while (true)
        {
            if (_queue.Take(batch) > 0)
            {
                // The commit runs on this thread (nothing in it awaits), so the task is complete when it returns.
                _queue.CommitAsync(batch, commit, fault).AsTask().GetAwaiter().GetResult();
                continue;
            }

            var next = _queue.WaitAsync().GetAwaiter().GetResult();
            if (next == AuditWriteQueue.Next.Stop)
            {
                return;
            }

            if (next == AuditWriteQueue.Next.Probe)
            {
                Probe(db, heartbeat);
            }
        }

        long Ref(ServedModel model)
        {
            if (!models.TryGetValue(model, out var found))
            {
                found = ModelRef(db, findModel, addModel, model);
                models[model] = found;
            }

            return found;
        }
    }

    /// <summary>
    /// Whose fault a failed commit is: the database's when SQLite cannot write at all (disk full, I/O error, read-only
    /// or unopenable file, corruption, out of memory, locked by another process), else the writes'.
    /// </summary>
    private static AuditWriteQueue.Fault? Fault(Exception e) => e switch
    {
        SqliteException s => (s.SqliteErrorCode & 0xff) is raw.SQLITE_FULL or raw.SQLITE_IOERR or raw.SQLITE_READONLY or raw.SQLITE_CANTOPEN
            or raw.SQLITE_CORRUPT or raw.SQLITE_NOTADB or raw.SQLITE_NOMEM or raw.SQLITE_BUSY or raw.SQLITE_LOCKED
            ? AuditWriteQueue.Fault.Store
            : AuditWriteQueue.Fault.Writes,
        InvalidOperationException => AuditWriteQueue.Fault.Writes,
        _ => null,
    };

    /// <summary>
    /// While decisions fail to commit, tries what a decision writes (a model, request and pending row, rolled back to a
    /// savepoint) and commits the heartbeat row, in a transaction of its own: the store is healthy again once it commits.
    /// </summary>
    private void Probe(sqlite3 db, sqlite3_stmt heartbeat)
    {
        try
        {
            Check(db, raw.sqlite3_exec(db, "BEGIN IMMEDIATE"));
            Check(db, raw.sqlite3_exec(db, ProbeRows));
            Step(db, heartbeat, raw.SQLITE_DONE);
            Check(db, raw.sqlite3_exec(db, "COMMIT"));
            _queue.Probed(committed: true);
        }
        catch (SqliteException)
        {
            raw.sqlite3_exec(db, "ROLLBACK");
            _queue.Probed(committed: false);
        }
    }

    private static long ModelRef(sqlite3 db, sqlite3_stmt find, sqlite3_stmt add, ServedModel model)
    {
        raw.sqlite3_bind_text(find, 1, model.Checksum);
        var rc = raw.sqlite3_step(find);
        if (rc == raw.SQLITE_ROW)
        {
            var found = raw.sqlite3_column_int64(find, 0);
            raw.sqlite3_reset(find);
            return found;
        }

        raw.sqlite3_reset(find);
        Check(db, rc == raw.SQLITE_DONE ? raw.SQLITE_OK : rc);
        raw.sqlite3_bind_text(add, 1, model.Checksum);
        raw.sqlite3_bind_blob(add, 2, model.FileBytes);
        Step(db, add, raw.SQLITE_DONE);
        return raw.sqlite3_last_insert_rowid(db);
    }

    /// <summary>Inserts a request's row (and its pending rows); <paramref name="packed"/> holds its decisions, then its shadow decisions, packed.</summary>
    private static void Insert(sqlite3 db, sqlite3_stmt insert, sqlite3_stmt pend, AuditRequest request, long modelRef, long? shadowRef, byte[] packed, MemoryStream compressed, List<PendingItem> added)
    {
        var body = AuditRows.StoredBody(request.Body.Span, compressed, out var codec);
        AuditRows.Pack(request, packed);
        Span<byte> key = stackalloc byte[16];
        request.FirstId.TryWriteBytes(key, bigEndian: true, out _);
        raw.sqlite3_bind_blob(insert, 1, key);
        raw.sqlite3_bind_int(insert, 2, request.Count);
        raw.sqlite3_bind_int64(insert, 3, request.CreatedMs);
        raw.sqlite3_bind_int64(insert, 4, modelRef);
        raw.sqlite3_bind_text(insert, 5, request.Caller);
        raw.sqlite3_bind_blob(insert, 6, packed.AsSpan(0, request.Count * AuditRows.PackedSize));
        raw.sqlite3_bind_int(insert, 7, codec);
        raw.sqlite3_bind_blob(insert, 8, body);
        raw.sqlite3_bind_double(insert, 9, request.AuditRate);
        if (shadowRef is { } shadow)
        {
            var shadowPacked = packed.AsSpan(request.Count * AuditRows.PackedSize, request.Count * AuditRows.ShadowPackedSize);
            AuditRows.PackShadow(request, shadowPacked);
            raw.sqlite3_bind_int64(insert, 10, shadow);
            raw.sqlite3_bind_blob(insert, 11, shadowPacked);
        }
        else
        {
            raw.sqlite3_bind_null(insert, 10);
            raw.sqlite3_bind_null(insert, 11);
        }

        Step(db, insert, raw.SQLITE_DONE);
        var requestRef = raw.sqlite3_last_insert_rowid(db);
        for (var k = 0; k < request.Count; k++)
        {
            ref readonly var d = ref request.Decisions[k];
            if (d.PendingQueue is not { } queue)
            {
                continue;
            }

            raw.sqlite3_bind_int64(pend, 1, requestRef);
            raw.sqlite3_bind_int(pend, 2, k);
            raw.sqlite3_bind_text(pend, 3, queue);
            raw.sqlite3_bind_double(pend, 4, d.Cost);
            raw.sqlite3_bind_double(pend, 5, d.Score);
            Step(db, pend, raw.SQLITE_DONE);
            added.Add(new PendingItem(queue, d.Cost, d.Score, requestRef, k));
        }
    }

    private ReviewOutcome Review(sqlite3 db, ReviewStatements s, AuditReview r, List<PendingItem> removed, Dictionary<(long, int), (string Reviewer, long ExpiresMs)?> leases)
    {
        if (!DecisionIds.TryParse(r.DecisionId, out var id))
        {
            return new ReviewOutcome(ReviewStatus.NotFound);
        }

        Span<byte> key = stackalloc byte[16];
        id.TryWriteBytes(key, bigEndian: true, out _);
        raw.sqlite3_bind_blob(s.Locate, 1, key);
        var rc = raw.sqlite3_step(s.Locate);
        long requestRef = 0, k = -1;
        if (rc == raw.SQLITE_ROW)
        {
            requestRef = raw.sqlite3_column_int64(s.Locate, 0);
            k = DecisionIds.Offset(raw.sqlite3_column_blob(s.Locate, 1), key);
            k = k < raw.sqlite3_column_int64(s.Locate, 2) ? k : -1;
        }

        raw.sqlite3_reset(s.Locate);
        Check(db, rc is raw.SQLITE_ROW or raw.SQLITE_DONE ? raw.SQLITE_OK : rc);
        if (k < 0)
        {
            return new ReviewOutcome(ReviewStatus.NotFound);
        }

        raw.sqlite3_bind_blob(s.Reviewed, 1, key);
        rc = raw.sqlite3_step(s.Reviewed);
        if (rc == raw.SQLITE_ROW)
        {
            var stored = new StoredReview(
                raw.sqlite3_column_text(s.Reviewed, 0).utf8_to_string(),
                raw.sqlite3_column_text(s.Reviewed, 1).utf8_to_string(),
                raw.sqlite3_column_text(s.Reviewed, 2).utf8_to_string(),
                raw.sqlite3_column_int64(s.Reviewed, 3));
            raw.sqlite3_reset(s.Reviewed);
            return new ReviewOutcome(stored.Verdict == r.Verdict && stored.Reviewer == r.Reviewer ? ReviewStatus.Repeated : ReviewStatus.AlreadyReviewed, stored);
        }

        raw.sqlite3_reset(s.Reviewed);
        Check(db, rc == raw.SQLITE_DONE ? raw.SQLITE_OK : rc);
        if (Lease(leases, (requestRef, (int)k)) is { } held && !string.Equals(held.Reviewer, r.Reviewer, StringComparison.Ordinal) && held.ExpiresMs > r.ReviewedMs)
        {
            return new ReviewOutcome(ReviewStatus.LeasedToOther, LeaseHolder: held.Reviewer, LeaseExpiresMs: held.ExpiresMs);
        }

        raw.sqlite3_bind_int64(s.Close, 1, requestRef);
        raw.sqlite3_bind_int64(s.Close, 2, k);
        rc = raw.sqlite3_step(s.Close);
        if (rc == raw.SQLITE_ROW)
        {
            removed.Add(new PendingItem(raw.sqlite3_column_text(s.Close, 0).utf8_to_string(), raw.sqlite3_column_double(s.Close, 1), raw.sqlite3_column_double(s.Close, 2), requestRef, (int)k));
            Step(db, s.Close, raw.SQLITE_DONE);
            leases[(requestRef, (int)k)] = null;
        }
        else
        {
            raw.sqlite3_reset(s.Close);
            Check(db, rc == raw.SQLITE_DONE ? raw.SQLITE_OK : rc);
        }

        raw.sqlite3_bind_blob(s.Insert, 1, key);
        raw.sqlite3_bind_int64(s.Insert, 2, requestRef);
        raw.sqlite3_bind_int64(s.Insert, 3, k);
        raw.sqlite3_bind_text(s.Insert, 4, r.Verdict);
        raw.sqlite3_bind_text(s.Insert, 5, r.Reviewer);
        raw.sqlite3_bind_text(s.Insert, 6, r.Caller);
        raw.sqlite3_bind_int64(s.Insert, 7, r.ReviewedMs);
        Step(db, s.Insert, raw.SQLITE_DONE);
        return new ReviewOutcome(ReviewStatus.Recorded, new StoredReview(r.Verdict, r.Reviewer, r.Caller, r.ReviewedMs));
    }

    /// <summary>Leases the first free items of the queue in review order (skipping items closed earlier in this commit).</summary>
    private List<(long RequestRef, int K)> Claim(sqlite3 db, sqlite3_stmt update, ClaimRequest c, List<PendingItem> removed, Dictionary<(long, int), (string Reviewer, long ExpiresMs)?> leases)
    {
        var closed = removed.Select(p => (p.RequestRef, p.K)).ToHashSet();
        var picked = _queues!.Scan(c.Queue, c.Limit, item =>
            !closed.Contains((item.RequestRef, item.K))
            && (Lease(leases, (item.RequestRef, item.K)) is not { } held || held.ExpiresMs <= c.NowMs || string.Equals(held.Reviewer, c.Reviewer, StringComparison.Ordinal)));
        var claimed = new List<(long, int)>(picked.Count);
        foreach (var item in picked)
        {
            raw.sqlite3_bind_int64(update, 1, item.RequestRef);
            raw.sqlite3_bind_int(update, 2, item.K);
            raw.sqlite3_bind_text(update, 3, c.Reviewer);
            raw.sqlite3_bind_int64(update, 4, c.LeaseExpiresMs);
            Step(db, update, raw.SQLITE_DONE);
            leases[(item.RequestRef, item.K)] = (c.Reviewer, c.LeaseExpiresMs);
            claimed.Add((item.RequestRef, item.K));
        }

        return claimed;
    }

    /// <summary>The lease on an item as this commit leaves it: changed in it, else as committed.</summary>
    private (string Reviewer, long ExpiresMs)? Lease(Dictionary<(long, int), (string Reviewer, long ExpiresMs)?> changed, (long, int) item)
    {
        if (changed.TryGetValue(item, out var lease))
        {
            return lease;
        }

        lock (_leases)
        {
            return _leases.TryGetValue(item, out var held) ? held : null;
        }
    }

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

    private sealed record ReviewStatements(sqlite3_stmt Reviewed, sqlite3_stmt Locate, sqlite3_stmt Close, sqlite3_stmt Insert) : IDisposable
    {
        public void Dispose()
        {
            Reviewed.Dispose();
            Locate.Dispose();
            Close.Dispose();
            Insert.Dispose();
        }
    }
}
