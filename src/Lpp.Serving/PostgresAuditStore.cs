using Npgsql;
using NpgsqlTypes;

namespace Lpp.Serving;

/// <summary>
/// The audit store in PostgreSQL, for many replicas on one database: the same rows as the SQLite store (one per
/// request with its body and packed decisions, <see cref="AuditRows"/>), with queues and reviews in tables every
/// replica shares. Writes go through one writer that commits everything waiting in one transaction (group commit),
/// and each request awaits the commit that holds its row, so nothing is answered before PostgreSQL has it durably.
/// The schema is versioned (<c>lpp_schema</c>), created or migrated at start under an advisory lock, and a newer
/// schema than this build knows is refused.
/// </summary>
internal sealed class PostgresAuditStore : IAuditStore
{
    /// <summary>
    /// The schema version this build creates and reads: 1 had no audit rate (migrated by adding it, 0 for its
    /// decisions), 2 no model releases (migrated by adding their tables), 3 no shadow model (migrated by adding its
    /// columns, empty for its decisions).
    /// </summary>
    public const int SchemaVersion = 4;

    /// <summary>The advisory lock key replicas take while creating or migrating the schema.</summary>
    private const long MigrationLock = 0x4C50505F53434845;

    private const string Schema = """
        CREATE TABLE lpp_models (
            model_ref  bigserial PRIMARY KEY,
            checksum   text NOT NULL UNIQUE,
            model_file bytea NOT NULL);
        CREATE TABLE lpp_requests (
            first_id   bytea PRIMARY KEY,
            seq        bigserial NOT NULL,
            count      integer NOT NULL,
            created_ms bigint NOT NULL,
            model_ref  bigint NOT NULL REFERENCES lpp_models (model_ref),
            caller     text NOT NULL,
            decisions  bytea NOT NULL,
            body_codec smallint NOT NULL,
            body       bytea NOT NULL,
            audit_rate double precision NOT NULL DEFAULT 0);
        CREATE TABLE lpp_pending (
            decision_id      bytea PRIMARY KEY,
            first_id         bytea NOT NULL REFERENCES lpp_requests (first_id),
            k                integer NOT NULL,
            queue            text NOT NULL,
            cost             double precision NOT NULL,
            score            double precision NOT NULL,
            claimed_by       text,
            lease_expires_ms bigint);
        CREATE INDEX lpp_pending_order ON lpp_pending (queue, cost DESC, score, decision_id);
        CREATE TABLE lpp_reviews (
            decision_id bytea PRIMARY KEY,
            first_id    bytea NOT NULL REFERENCES lpp_requests (first_id),
            k           integer NOT NULL,
            verdict     text NOT NULL,
            reviewer    text NOT NULL,
            caller      text NOT NULL,
            reviewed_ms bigint NOT NULL,
            seq         bigserial NOT NULL);
        CREATE INDEX lpp_reviews_seq ON lpp_reviews (seq);
        CREATE INDEX lpp_requests_seq ON lpp_requests (seq);
        """;

    /// <summary>Version 2 to 3: the model releases every replica follows, and the row a failing replica's probe commits write.</summary>
    private const string Releases = """
        CREATE TABLE lpp_model_releases (
            release      bigserial PRIMARY KEY,
            model_ref    bigint NOT NULL REFERENCES lpp_models (model_ref),
            published_ms bigint NOT NULL);
        CREATE TABLE lpp_heartbeat (
            id     integer PRIMARY KEY CHECK (id = 1),
            probes bigint NOT NULL);
        """;

    /// <summary>Version 3 to 4: the shadow model of each request (<c>--shadow-model</c>) and its decisions, packed (<see cref="AuditRows"/>).</summary>
    private const string Shadows = """
        ALTER TABLE lpp_requests ADD COLUMN shadow_ref bigint REFERENCES lpp_models (model_ref), ADD COLUMN shadow bytea;
        """;

    /// <summary>Columns 0-10 of every entry query (<see cref="AuditRows.Entry(System.Data.Common.DbDataReader, int, DecisionRecordParser)"/>); the review's follow (or NULLs), then the decision's k where a query reads it.</summary>
    private const string EntryColumns = "q.first_id, q.count, q.created_ms, m.checksum, q.decisions, q.body, q.body_codec, q.caller, q.audit_rate, s.checksum, q.shadow";

    /// <summary>The join that names the shadow model of each request.</summary>
    private const string ShadowJoin = " LEFT JOIN lpp_models s ON s.model_ref = q.shadow_ref";

    private const string ReviewColumns = "r.verdict, r.reviewer, r.caller, r.reviewed_ms";

    /// <summary>Requests read per query by <see cref="Decisions"/>.</summary>
    private const int DecisionsPage = 500;

    private readonly NpgsqlDataSource _data;
    private readonly AuditWriteQueue _queue;
    private readonly Task _writer;

    private PostgresAuditStore(NpgsqlDataSource data, ServeMetrics? metrics)
    {
        _data = data;
        _queue = new AuditWriteQueue(metrics);
        _writer = Task.Run(WriterLoopAsync);
    }

    /// <inheritdoc />
    public bool Ready => Running && _queue.Healthy;

    /// <summary>Probe commits the writer has tried while decisions failed (tests wait on it).</summary>
    internal long ProbesTried => _queue.Probes;

    /// <summary>True while the writer runs and takes writes.</summary>
    private bool Running => !_writer.IsCompleted && _queue.Open;

    /// <summary>Connects, creates or checks the schema, and starts the writer.</summary>
    /// <exception cref="ServeException">The database cannot be reached, or holds a schema this build does not know.</exception>
    public static Task<PostgresAuditStore> OpenAsync(StoreConnection connection, ServeMetrics? metrics = null) =>
        OpenAsync(connection.Value, metrics);

    /// <summary>As <see cref="OpenAsync(StoreConnection, ServeMetrics?)"/>, from the connection string itself.</summary>
    /// <exception cref="ServeException">As there.</exception>
    public static async Task<PostgresAuditStore> OpenAsync(string connectionString, ServeMetrics? metrics = null)
    {
        NpgsqlDataSource data;
        try
        {
            data = NpgsqlDataSource.Create(connectionString);
        }
        catch (ArgumentException e)
        {
            throw new ServeException($"--store postgres: the connection string is not valid ({e.Message.Split(" (Parameter", 2)[0]})", e);
        }

        try
        {
            await MigrateAsync(data).ConfigureAwait(false);
        }
        catch (Exception e) when (e is NpgsqlException or ServeException or TimeoutException)
        {
            await data.DisposeAsync().ConfigureAwait(false);
            if (e is ServeException)
            {
                throw;
            }

            throw new ServeException($"--store postgres: {StoreConnection.Resolve(null, connectionString)}: {e.Message.ReplaceLineEndings(" ")}", e);
        }

        return new PostgresAuditStore(data, metrics);
    }

    public ValueTask AppendAsync(AuditRequest request) => new(_queue.Enqueue(new AuditWrite(request)));

    public async ValueTask<ReviewOutcome> ReviewAsync(AuditReview review)
    {
        var write = new AuditWrite(review);
        await _queue.Enqueue(write).ConfigureAwait(false);
        return write.Outcome!;
    }

    public async ValueTask<IReadOnlyList<ClaimedItem>> ClaimAsync(ClaimRequest claim)
    {
        if (!Running)
        {
            throw new InvalidOperationException("the audit store is closed");
        }

        // One statement: pick the first free items in review order, skipping rows another claim has locked, and lease them.
        await using var connection = await _data.OpenConnectionAsync().ConfigureAwait(false);
        await using var command = new NpgsqlCommand($"""
            WITH picked AS (
                SELECT decision_id FROM lpp_pending
                WHERE queue = $1 AND (claimed_by IS NULL OR lease_expires_ms <= $2 OR claimed_by = $3)
                ORDER BY cost DESC, score, decision_id
                LIMIT $4
                FOR UPDATE SKIP LOCKED),
            leased AS (
                UPDATE lpp_pending p SET claimed_by = $3, lease_expires_ms = $5
                FROM picked WHERE p.decision_id = picked.decision_id
                RETURNING p.first_id, p.k, p.cost, p.score, p.decision_id)
            SELECT {EntryColumns}, NULL, NULL, NULL, NULL, l.k FROM leased l JOIN lpp_requests q USING (first_id) JOIN lpp_models m USING (model_ref){ShadowJoin}
            ORDER BY l.cost DESC, l.score, l.decision_id
            """, connection);
        command.Parameters.Add(new NpgsqlParameter { Value = claim.Queue });
        command.Parameters.Add(new NpgsqlParameter { Value = claim.NowMs });
        command.Parameters.Add(new NpgsqlParameter { Value = claim.Reviewer });
        command.Parameters.Add(new NpgsqlParameter { Value = claim.Limit });
        command.Parameters.Add(new NpgsqlParameter { Value = claim.LeaseExpiresMs });
        await using var reader = await command.ExecuteReaderAsync().ConfigureAwait(false);
        var items = new List<ClaimedItem>();
        var parser = new DecisionRecordParser();
        while (await reader.ReadAsync().ConfigureAwait(false))
        {
            items.Add(new ClaimedItem(AuditRows.Entry(reader, reader.GetInt32(AuditRows.KColumn), parser), claim.LeaseExpiresMs));
        }

        return items;
    }

    public async ValueTask<long> PublishModelAsync(ServedModel model, long publishedMs)
    {
        if (!Running)
        {
            throw new InvalidOperationException("the audit store is closed");
        }

        await using var connection = await _data.OpenConnectionAsync().ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync().ConfigureAwait(false);
        var modelRef = await ModelRefAsync(connection, transaction, model).ConfigureAwait(false);
        long release;
        await using (var command = new NpgsqlCommand("INSERT INTO lpp_model_releases (model_ref, published_ms) VALUES ($1, $2) RETURNING release", connection, transaction))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = modelRef });
            command.Parameters.Add(new NpgsqlParameter { Value = publishedMs });
            release = (long)(await command.ExecuteScalarAsync().ConfigureAwait(false))!;
        }

        await transaction.CommitAsync().ConfigureAwait(false);
        return release;
    }

    public ModelRelease? CurrentModel()
    {
        using var connection = _data.OpenConnection();
        using var command = new NpgsqlCommand("SELECT r.release, m.checksum FROM lpp_model_releases r JOIN lpp_models m USING (model_ref) ORDER BY r.release DESC LIMIT 1", connection);
        using var reader = command.ExecuteReader();
        return reader.Read() ? new ModelRelease(reader.GetInt64(0), reader.GetString(1)) : null;
    }

    public byte[]? ModelFile(string checksum)
    {
        using var connection = _data.OpenConnection();
        using var command = new NpgsqlCommand("SELECT model_file FROM lpp_models WHERE checksum = $1", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = checksum });
        return command.ExecuteScalar() as byte[];
    }

    public IEnumerable<AuditEntry> Decisions(long? sinceMs, long? untilMs)
    {
        using var connection = _data.OpenConnection();
        using var reviews = new NpgsqlCommand($"SELECT r.first_id, r.k, {ReviewColumns} FROM lpp_reviews r WHERE r.first_id = ANY($1)", connection);
        var reviewFirst = reviews.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bytea });
        using var requests = new NpgsqlCommand($"SELECT {EntryColumns}, q.seq FROM lpp_requests q JOIN lpp_models m USING (model_ref){ShadowJoin} WHERE q.created_ms >= $1 AND q.created_ms < $2 AND q.seq > $3 ORDER BY q.seq LIMIT {DecisionsPage}", connection);
        requests.Parameters.Add(new NpgsqlParameter { Value = sinceMs ?? long.MinValue });
        requests.Parameters.Add(new NpgsqlParameter { Value = untilMs ?? long.MaxValue });
        var after = requests.Parameters.Add(new NpgsqlParameter { Value = 0L });
        var parser = new DecisionRecordParser();

        // Requests are read a page at a time (memory stays flat however many there are), then the page's reviews in
        // one query on the same connection.
        var rows = new List<(byte[] First, int Count, long Created, string Model, byte[] Decisions, byte[] Body, string Caller, double Rate, (string, byte[])? Shadow)>();
        while (true)
        {
            rows.Clear();
            using (var reader = requests.ExecuteReader())
            {
                while (reader.Read())
                {
                    rows.Add(((byte[])reader.GetValue(0), reader.GetInt32(1), reader.GetInt64(2), reader.GetString(3), (byte[])reader.GetValue(4), AuditRows.Body((byte[])reader.GetValue(5), reader.GetInt16(6)), reader.GetString(7), reader.GetDouble(8), AuditRows.Shadow(reader)));
                    after.Value = reader.GetInt64(AuditRows.ReviewColumn);
                }
            }

            if (rows.Count == 0)
            {
                yield break;
            }

            reviewFirst.Value = rows.Select(r => r.First).ToArray();
            var byKey = new Dictionary<(Guid, int), StoredReview>();
            using (var reader = reviews.ExecuteReader())
            {
                while (reader.Read())
                {
                    byKey[(new Guid((byte[])reader.GetValue(0), bigEndian: true), reader.GetInt32(1))] = new StoredReview(reader.GetString(2), reader.GetString(3), reader.GetString(4), reader.GetInt64(5));
                }
            }

            foreach (var row in rows)
            {
                var first = new Guid(row.First, bigEndian: true);
                for (var k = 0; k < row.Count; k++)
                {
                    yield return AuditRows.Entry(row.First, row.Decisions, row.Body, k, row.Created, row.Model, row.Caller, byKey.GetValueOrDefault((first, k)), parser, row.Rate, row.Shadow);
                }
            }
        }
    }

    public AuditEntry? Find(string decisionId)
    {
        if (!DecisionIds.TryParse(decisionId, out var id))
        {
            return null;
        }

        var key = DecisionIds.Key(id);
        using var connection = _data.OpenConnection();
        using var command = new NpgsqlCommand($"SELECT {EntryColumns}, {ReviewColumns} FROM lpp_requests q JOIN lpp_models m USING (model_ref){ShadowJoin} LEFT JOIN lpp_reviews r ON r.decision_id = $1 WHERE q.first_id <= $1 ORDER BY q.first_id DESC LIMIT 1", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = key, NpgsqlDbType = NpgsqlDbType.Bytea });
        using var reader = command.ExecuteReader();
        if (!reader.Read())
        {
            return null;
        }

        var k = DecisionIds.Offset((byte[])reader.GetValue(0), key);
        return k < 0 || k >= reader.GetInt32(1) ? null : AuditRows.Entry(reader, (int)k, new DecisionRecordParser());
    }

    public IReadOnlyList<AuditEntry> Pending(string queue, int limit)
    {
        using var connection = _data.OpenConnection();
        using var command = new NpgsqlCommand($"SELECT {EntryColumns}, NULL, NULL, NULL, NULL, p.k FROM lpp_pending p JOIN lpp_requests q USING (first_id) JOIN lpp_models m USING (model_ref){ShadowJoin} WHERE p.queue = $1 ORDER BY p.cost DESC, p.score, p.decision_id LIMIT $2", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = queue });
        command.Parameters.Add(new NpgsqlParameter { Value = limit });
        using var reader = command.ExecuteReader();
        var entries = new List<AuditEntry>();
        var parser = new DecisionRecordParser();
        while (reader.Read())
        {
            entries.Add(AuditRows.Entry(reader, reader.GetInt32(AuditRows.KColumn), parser));
        }

        return entries;
    }

    public long PendingCount(string queue)
    {
        using var connection = _data.OpenConnection();
        using var command = new NpgsqlCommand("SELECT count(*) FROM lpp_pending WHERE queue = $1", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = queue });
        return (long)command.ExecuteScalar()!;
    }

    public IEnumerable<AuditEntry> Reviewed()
    {
        using var connection = _data.OpenConnection();
        using var command = new NpgsqlCommand($"SELECT {EntryColumns}, {ReviewColumns}, r.k FROM lpp_reviews r JOIN lpp_requests q USING (first_id) JOIN lpp_models m USING (model_ref){ShadowJoin} ORDER BY r.seq", connection);
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
        await _writer.ConfigureAwait(false);
        await _data.DisposeAsync().ConfigureAwait(false);
    }

    private static async Task MigrateAsync(NpgsqlDataSource data)
    {
        await using var connection = await data.OpenConnectionAsync().ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync().ConfigureAwait(false);
        await using (var command = new NpgsqlCommand($"SELECT pg_advisory_xact_lock({MigrationLock}); CREATE TABLE IF NOT EXISTS lpp_schema (version integer NOT NULL)", connection, transaction))
        {
            await command.ExecuteNonQueryAsync().ConfigureAwait(false);
        }

        int? version;
        await using (var command = new NpgsqlCommand("SELECT max(version) FROM lpp_schema", connection, transaction))
        {
            version = await command.ExecuteScalarAsync().ConfigureAwait(false) is int v ? v : null;
        }

        if (version > SchemaVersion)
        {
            throw new ServeException($"--store postgres: the database holds audit schema version {version}, newer than this lpp knows ({SchemaVersion}); serve it with the lpp that migrated it or a later one");
        }

        if (version is null)
        {
            await using var command = new NpgsqlCommand(Schema + Releases + Shadows + $"INSERT INTO lpp_schema (version) VALUES ({SchemaVersion});", connection, transaction);
            await command.ExecuteNonQueryAsync().ConfigureAwait(false);
        }
        else if (version < SchemaVersion)
        {
            // Migration steps, one per version, all in this transaction: 1 -> 2 adds the audit rate in force, 2 -> 3 the
            // model releases, 3 -> 4 the shadow model's columns.
            await using var command = new NpgsqlCommand($"{(version < 2 ? "ALTER TABLE lpp_requests ADD COLUMN audit_rate double precision NOT NULL DEFAULT 0;" : string.Empty)}{(version < 3 ? Releases : string.Empty)}{Shadows}UPDATE lpp_schema SET version = {SchemaVersion};", connection, transaction);
            await command.ExecuteNonQueryAsync().ConfigureAwait(false);
        }

        await transaction.CommitAsync().ConfigureAwait(false);
    }

    private async Task WriterLoopAsync()
    {
        var models = new Dictionary<ServedModel, long>(ReferenceEqualityComparer.Instance);
        var compressed = new MemoryStream(1 << 16);
        var batch = new List<AuditWrite>();
        NpgsqlConnection? connection = null;

        // One transaction for the writes given; after a failure the connection is dropped (the next commit opens another).
        async ValueTask Commit(IReadOnlyList<AuditWrite> writes)
        {
            try
            {
                connection ??= await _data.OpenConnectionAsync().ConfigureAwait(false);
                await CommitAsync(connection, writes, models, compressed).ConfigureAwait(false);
            }
            catch (Exception e) when (Fault(e) is not null)
            {
                models.Clear();
                if (connection is not null)
                {
                    await connection.DisposeAsync().ConfigureAwait(false);
                    connection = null;
                }

                throw;
            }
        }

        Func<IReadOnlyList<AuditWrite>, ValueTask> commit = Commit;
        Func<Exception, AuditWriteQueue.Fault?> fault = Fault;
        try
        {
            while (true)
            {
                if (_queue.Take(batch) > 0)
                {
                    await _queue.CommitAsync(batch, commit, fault).ConfigureAwait(false);
                    continue;
                }

                var next = await _queue.WaitAsync().ConfigureAwait(false);
                if (next == AuditWriteQueue.Next.Stop)
                {
                    return;
                }

                if (next == AuditWriteQueue.Next.Probe)
                {
                    connection = await ProbeAsync(connection).ConfigureAwait(false);
                }
            }
        }
        finally
        {
            if (connection is not null)
            {
                await connection.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// Whose fault a failed commit is: the database's when it cannot be reached or written at all (a lost connection,
    /// a timeout, SQLSTATE classes 08 connection, 53 insufficient resources, 57 operator intervention, 58 system
    /// error, XX internal), else the writes' (a constraint, a trigger, a permission, a deadlock).
    /// </summary>
    private static AuditWriteQueue.Fault? Fault(Exception e) => e switch
    {
        PostgresException p => p.SqlState[..2] is "08" or "53" or "57" or "58" or "XX" ? AuditWriteQueue.Fault.Store : AuditWriteQueue.Fault.Writes,
        NpgsqlException or TimeoutException => AuditWriteQueue.Fault.Store,
        InvalidOperationException => AuditWriteQueue.Fault.Writes,
        _ => null,
    };

    /// <summary>
    /// While decisions fail to commit, tries what a decision writes (a model, request and pending row, rolled back to a
    /// savepoint) and commits the heartbeat row, in a transaction of its own: the store is healthy again once it
    /// commits. The connection to use next.
    /// </summary>
    private async Task<NpgsqlConnection?> ProbeAsync(NpgsqlConnection? connection)
    {
        try
        {
            connection ??= await _data.OpenConnectionAsync().ConfigureAwait(false);
            await using var transaction = await connection.BeginTransactionAsync().ConfigureAwait(false);
            await using (var command = new NpgsqlCommand("""
                SAVEPOINT lpp_probe;
                WITH model AS (INSERT INTO lpp_models (checksum, model_file) VALUES ('lpp-probe', '') RETURNING model_ref),
                     request AS (INSERT INTO lpp_requests (first_id, count, created_ms, model_ref, caller, decisions, body_codec, body)
                                 SELECT '\x00000000000000000000000000000000', 1, 0, model_ref, 'lpp-probe', '\x00', 0, '{}' FROM model RETURNING first_id)
                INSERT INTO lpp_pending (decision_id, first_id, k, queue, cost, score) SELECT first_id, first_id, 0, 'review', 0, 0 FROM request;
                ROLLBACK TO SAVEPOINT lpp_probe;
                INSERT INTO lpp_heartbeat (id, probes) VALUES (1, 1) ON CONFLICT (id) DO UPDATE SET probes = lpp_heartbeat.probes + 1;
                """, connection, transaction))
            {
                await command.ExecuteNonQueryAsync().ConfigureAwait(false);
            }

            await transaction.CommitAsync().ConfigureAwait(false);
            _queue.Probed(committed: true);
            return connection;
        }
        catch (Exception e) when (e is NpgsqlException or InvalidOperationException or TimeoutException)
        {
            _queue.Probed(committed: false);
            if (connection is not null)
            {
                await connection.DisposeAsync().ConfigureAwait(false);
            }

            return null;
        }
    }

    private static async Task CommitAsync(NpgsqlConnection connection, IReadOnlyList<AuditWrite> batch, Dictionary<ServedModel, long> models, MemoryStream compressed)
    {
        await using var transaction = await connection.BeginTransactionAsync().ConfigureAwait(false);
        using var inserts = new NpgsqlBatch(connection, transaction);
        var pendingIds = new List<byte[]>();
        var pendingFirst = new List<byte[]>();
        var pendingK = new List<int>();
        var pendingQueue = new List<string>();
        var pendingCost = new List<double>();
        var pendingScore = new List<double>();
        foreach (var write in batch)
        {
            if (write.Request is not { } request)
            {
                continue;
            }

            var modelRef = await CachedModelRefAsync(connection, transaction, models, request.Model).ConfigureAwait(false);
            long? shadowRef = request.Shadow is { } shadow ? await CachedModelRefAsync(connection, transaction, models, shadow).ConfigureAwait(false) : null;
            byte[]? shadowPacked = null;
            if (shadowRef is not null)
            {
                shadowPacked = new byte[request.Count * AuditRows.ShadowPackedSize];
                AuditRows.PackShadow(request, shadowPacked);
            }

            var packed = new byte[request.Count * AuditRows.PackedSize];
            AuditRows.Pack(request, packed);
            var body = AuditRows.StoredBody(request.Body.Span, compressed, out var codec).ToArray();
            var first = DecisionIds.Key(request.FirstId);
            var insert = new NpgsqlBatchCommand("INSERT INTO lpp_requests (first_id, count, created_ms, model_ref, caller, decisions, body_codec, body, audit_rate, shadow_ref, shadow) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)");
            insert.Parameters.Add(new NpgsqlParameter { Value = first, NpgsqlDbType = NpgsqlDbType.Bytea });
            insert.Parameters.Add(new NpgsqlParameter { Value = request.Count });
            insert.Parameters.Add(new NpgsqlParameter { Value = request.CreatedMs });
            insert.Parameters.Add(new NpgsqlParameter { Value = modelRef });
            insert.Parameters.Add(new NpgsqlParameter { Value = request.Caller });
            insert.Parameters.Add(new NpgsqlParameter { Value = packed, NpgsqlDbType = NpgsqlDbType.Bytea });
            insert.Parameters.Add(new NpgsqlParameter { Value = (short)codec });
            insert.Parameters.Add(new NpgsqlParameter { Value = body, NpgsqlDbType = NpgsqlDbType.Bytea });
            insert.Parameters.Add(new NpgsqlParameter { Value = request.AuditRate });
            insert.Parameters.Add(new NpgsqlParameter { Value = shadowRef is { } r ? r : DBNull.Value, NpgsqlDbType = NpgsqlDbType.Bigint });
            insert.Parameters.Add(new NpgsqlParameter { Value = (object?)shadowPacked ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Bytea });
            inserts.BatchCommands.Add(insert);
            for (var k = 0; k < request.Count; k++)
            {
                ref readonly var d = ref request.Decisions[k];
                if (d.PendingQueue is not { } queue)
                {
                    continue;
                }

                pendingIds.Add(DecisionIds.Key(DecisionIds.Nth(request.FirstId, k)));
                pendingFirst.Add(first);
                pendingK.Add(k);
                pendingQueue.Add(queue);
                pendingCost.Add(d.Cost);
                pendingScore.Add(d.Score);
            }
        }

        if (pendingIds.Count > 0)
        {
            var pend = new NpgsqlBatchCommand("INSERT INTO lpp_pending (decision_id, first_id, k, queue, cost, score) SELECT * FROM unnest($1::bytea[], $2::bytea[], $3::integer[], $4::text[], $5::double precision[], $6::double precision[])");
            pend.Parameters.Add(new NpgsqlParameter { Value = pendingIds.ToArray() });
            pend.Parameters.Add(new NpgsqlParameter { Value = pendingFirst.ToArray() });
            pend.Parameters.Add(new NpgsqlParameter { Value = pendingK.ToArray() });
            pend.Parameters.Add(new NpgsqlParameter { Value = pendingQueue.ToArray() });
            pend.Parameters.Add(new NpgsqlParameter { Value = pendingCost.ToArray() });
            pend.Parameters.Add(new NpgsqlParameter { Value = pendingScore.ToArray() });
            inserts.BatchCommands.Add(pend);
        }

        if (inserts.BatchCommands.Count > 0)
        {
            await inserts.ExecuteNonQueryAsync().ConfigureAwait(false);
        }

        foreach (var write in batch)
        {
            if (write.Review is { } review)
            {
                write.Outcome = await ReviewAsync(connection, transaction, review).ConfigureAwait(false);
            }
        }

        await transaction.CommitAsync().ConfigureAwait(false);
    }

    /// <summary>The model's ref, looked up (or stored) once per writer connection.</summary>
    private static async ValueTask<long> CachedModelRefAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Dictionary<ServedModel, long> models, ServedModel model)
    {
        if (!models.TryGetValue(model, out var modelRef))
        {
            modelRef = await ModelRefAsync(connection, transaction, model).ConfigureAwait(false);
            models[model] = modelRef;
        }

        return modelRef;
    }

    private static async Task<long> ModelRefAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, ServedModel model)
    {
        // A replica inserting the same model at the same time: ON CONFLICT waits for it, and this statement's snapshot
        // misses its row, so the second attempt (a new snapshot) finds it.
        for (var attempt = 0; ; attempt++)
        {
            await using var command = new NpgsqlCommand("WITH added AS (INSERT INTO lpp_models (checksum, model_file) VALUES ($1, $2) ON CONFLICT (checksum) DO NOTHING RETURNING model_ref) SELECT model_ref FROM added UNION ALL SELECT model_ref FROM lpp_models WHERE checksum = $1 LIMIT 1", connection, transaction);
            command.Parameters.Add(new NpgsqlParameter { Value = model.Checksum });
            command.Parameters.Add(new NpgsqlParameter { Value = model.FileBytes, NpgsqlDbType = NpgsqlDbType.Bytea });
            if (await command.ExecuteScalarAsync().ConfigureAwait(false) is long found)
            {
                return found;
            }

            if (attempt == 1)
            {
                throw new InvalidOperationException($"model {model.Checksum} could not be stored");
            }
        }
    }

    private static async Task<ReviewOutcome> ReviewAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, AuditReview review)
    {
        if (!DecisionIds.TryParse(review.DecisionId, out var id))
        {
            return new ReviewOutcome(ReviewStatus.NotFound);
        }

        var key = DecisionIds.Key(id);
        byte[] first;
        int k;
        await using (var locate = new NpgsqlCommand("SELECT first_id, count FROM lpp_requests WHERE first_id <= $1 ORDER BY first_id DESC LIMIT 1", connection, transaction))
        {
            locate.Parameters.Add(new NpgsqlParameter { Value = key, NpgsqlDbType = NpgsqlDbType.Bytea });
            await using var reader = await locate.ExecuteReaderAsync().ConfigureAwait(false);
            if (!await reader.ReadAsync().ConfigureAwait(false))
            {
                return new ReviewOutcome(ReviewStatus.NotFound);
            }

            first = (byte[])reader.GetValue(0);
            var offset = DecisionIds.Offset(first, key);
            if (offset < 0 || offset >= reader.GetInt32(1))
            {
                return new ReviewOutcome(ReviewStatus.NotFound);
            }

            k = (int)offset;
        }

        // The pending row (if any) is locked for the rest of the transaction: a concurrent claim skips it, a
        // concurrent review of it waits, then finds the review.
        await using (var lease = new NpgsqlCommand("SELECT claimed_by, lease_expires_ms FROM lpp_pending WHERE decision_id = $1 FOR UPDATE", connection, transaction))
        {
            lease.Parameters.Add(new NpgsqlParameter { Value = key, NpgsqlDbType = NpgsqlDbType.Bytea });
            await using var reader = await lease.ExecuteReaderAsync().ConfigureAwait(false);
            if (await reader.ReadAsync().ConfigureAwait(false) && !reader.IsDBNull(0))
            {
                var holder = reader.GetString(0);
                var expires = reader.GetInt64(1);
                if (!string.Equals(holder, review.Reviewer, StringComparison.Ordinal) && expires > review.ReviewedMs)
                {
                    return new ReviewOutcome(ReviewStatus.LeasedToOther, LeaseHolder: holder, LeaseExpiresMs: expires);
                }
            }
        }

        await using (var insert = new NpgsqlCommand("INSERT INTO lpp_reviews (decision_id, first_id, k, verdict, reviewer, caller, reviewed_ms) VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (decision_id) DO NOTHING", connection, transaction))
        {
            insert.Parameters.Add(new NpgsqlParameter { Value = key, NpgsqlDbType = NpgsqlDbType.Bytea });
            insert.Parameters.Add(new NpgsqlParameter { Value = first, NpgsqlDbType = NpgsqlDbType.Bytea });
            insert.Parameters.Add(new NpgsqlParameter { Value = k });
            insert.Parameters.Add(new NpgsqlParameter { Value = review.Verdict });
            insert.Parameters.Add(new NpgsqlParameter { Value = review.Reviewer });
            insert.Parameters.Add(new NpgsqlParameter { Value = review.Caller });
            insert.Parameters.Add(new NpgsqlParameter { Value = review.ReviewedMs });
            if (await insert.ExecuteNonQueryAsync().ConfigureAwait(false) == 1)
            {
                await using var close = new NpgsqlCommand("DELETE FROM lpp_pending WHERE decision_id = $1", connection, transaction);
                close.Parameters.Add(new NpgsqlParameter { Value = key, NpgsqlDbType = NpgsqlDbType.Bytea });
                await close.ExecuteNonQueryAsync().ConfigureAwait(false);
                return new ReviewOutcome(ReviewStatus.Recorded, new StoredReview(review.Verdict, review.Reviewer, review.Caller, review.ReviewedMs));
            }
        }

        await using var stored = new NpgsqlCommand("SELECT verdict, reviewer, caller, reviewed_ms FROM lpp_reviews WHERE decision_id = $1", connection, transaction);
        stored.Parameters.Add(new NpgsqlParameter { Value = key, NpgsqlDbType = NpgsqlDbType.Bytea });
        await using (var reader = await stored.ExecuteReaderAsync().ConfigureAwait(false))
        {
            await reader.ReadAsync().ConfigureAwait(false);
            var existing = new StoredReview(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetInt64(3));
            return new ReviewOutcome(existing.Verdict == review.Verdict && existing.Reviewer == review.Reviewer ? ReviewStatus.Repeated : ReviewStatus.AlreadyReviewed, existing);
        }
    }
}
