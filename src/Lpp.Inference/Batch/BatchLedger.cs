using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Lpp.Inference;

/// <summary>
/// Where a batch run keeps its batches, in the cache database beside the responses: each batch submitted (provider
/// id, status, when, how many requests) and each request's cache key with its batch and, once collected, why it has
/// no answer. A run killed after submitting finds its batches here and polls them instead of submitting again.
/// A batch is recorded before it is created, under the client-side name it is created with and the status
/// <see cref="Submitting"/>; once its file is uploaded, the file's id and the status <see cref="Creating"/> are
/// recorded before the creation is asked for, so a run killed between the provider's creation and the answer being
/// stored can look it up (by that name and that file) instead of creating it a second time. Files left at the
/// provider (uploaded requests, downloaded results) are kept here from the moment their batch is collected until
/// their deletion succeeds, so a run killed in between deletes them next time.
/// </summary>
public sealed class BatchLedger : IDisposable
{
    /// <summary>The status of a batch recorded before its creation was confirmed: its id is the client-side name.</summary>
    public const string Submitting = "submitting";

    /// <summary>
    /// The status of a batch whose creation was asked for (or is about to be) and not yet confirmed: its id is the
    /// client-side name, <see cref="BatchInfo.Submitted"/> the time of that request.
    /// </summary>
    public const string Creating = "creating";

    private readonly SqliteConnection _connection;
    private readonly Lock _lock = new();

    /// <summary>Opens (creating when needed) the ledger in the database at <paramref name="path"/>.</summary>
    public BatchLedger(string path)
    {
        _connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        _connection.Open();
        using var setup = _connection.CreateCommand();
        setup.CommandText = """
            PRAGMA journal_mode = WAL;
            PRAGMA synchronous = NORMAL;
            PRAGMA busy_timeout = 10000;
            CREATE TABLE IF NOT EXISTS batches (
                id TEXT PRIMARY KEY,
                provider TEXT NOT NULL,
                endpoint TEXT NOT NULL,
                model TEXT NOT NULL,
                status TEXT NOT NULL,
                requests INTEGER NOT NULL,
                submitted TEXT NOT NULL,
                collected INTEGER NOT NULL DEFAULT 0,
                message TEXT);
            CREATE TABLE IF NOT EXISTS batch_requests (
                key TEXT PRIMARY KEY,
                batch TEXT NOT NULL,
                error_kind TEXT,
                error TEXT);
            CREATE TABLE IF NOT EXISTS batch_files (
                file TEXT NOT NULL,
                provider TEXT NOT NULL,
                endpoint TEXT NOT NULL,
                PRIMARY KEY (file, provider, endpoint));
            """;
        setup.ExecuteNonQuery();

        // Ledgers written before the input file was recorded gain its column (empty for their batches); their batches
        // still "submitting" may have been created by then (that status covered the creation), so they are looked up.
        using var columns = _connection.CreateCommand();
        columns.CommandText = "SELECT COUNT(*) FROM pragma_table_info('batches') WHERE name = 'input_file'";
        if ((long)columns.ExecuteScalar()! == 0)
        {
            using var alter = _connection.CreateCommand();
            alter.CommandText = "ALTER TABLE batches ADD COLUMN input_file TEXT; UPDATE batches SET status = 'creating' WHERE status = 'submitting'";
            alter.ExecuteNonQuery();
        }
    }

    /// <summary>
    /// Records a batch and the cache keys of its requests, in one transaction: before creation with status
    /// <see cref="Submitting"/> and its client-side name as id, or once submitted with the provider's id.
    /// </summary>
    public void AddBatch(BatchInfo batch, IReadOnlyList<string> keys)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentNullException.ThrowIfNull(keys);
        lock (_lock)
        {
            using var transaction = _connection.BeginTransaction();
            using (var insert = _connection.CreateCommand())
            {
                insert.CommandText = "INSERT OR REPLACE INTO batches (id, provider, endpoint, model, status, requests, submitted, collected, message) VALUES ($id, $provider, $endpoint, $model, $status, $requests, $submitted, 0, NULL)";
                insert.Parameters.AddWithValue("$id", batch.Id);
                insert.Parameters.AddWithValue("$provider", batch.Provider);
                insert.Parameters.AddWithValue("$endpoint", batch.Endpoint);
                insert.Parameters.AddWithValue("$model", batch.Model);
                insert.Parameters.AddWithValue("$status", batch.Status);
                insert.Parameters.AddWithValue("$requests", batch.Requests);
                insert.Parameters.AddWithValue("$submitted", batch.Submitted.ToString("O", CultureInfo.InvariantCulture));
                insert.ExecuteNonQuery();
            }

            using (var request = _connection.CreateCommand())
            {
                request.CommandText = "INSERT OR REPLACE INTO batch_requests (key, batch, error_kind, error) VALUES ($key, $batch, NULL, NULL)";
                var key = request.Parameters.Add("$key", SqliteType.Text);
                request.Parameters.AddWithValue("$batch", batch.Id);
                foreach (var k in keys)
                {
                    key.Value = k;
                    request.ExecuteNonQuery();
                }
            }

            transaction.Commit();
        }
    }

    /// <summary>Turns the batch recorded under a client-side name into the provider's batch <paramref name="id"/>, with its requests.</summary>
    public void Confirm(string name, string id, string status)
    {
        lock (_lock)
        {
            using var transaction = _connection.BeginTransaction();
            using (var batch = _connection.CreateCommand())
            {
                batch.CommandText = "UPDATE batches SET id = $id, status = $s WHERE id = $name";
                batch.Parameters.AddWithValue("$id", id);
                batch.Parameters.AddWithValue("$s", status);
                batch.Parameters.AddWithValue("$name", name);
                batch.ExecuteNonQuery();
            }

            using (var requests = _connection.CreateCommand())
            {
                requests.CommandText = "UPDATE batch_requests SET batch = $id WHERE batch = $name";
                requests.Parameters.AddWithValue("$id", id);
                requests.Parameters.AddWithValue("$name", name);
                requests.ExecuteNonQuery();
            }

            transaction.Commit();
        }
    }

    /// <summary>
    /// Records that the creation of the batch recorded under <paramref name="name"/> is asked for at
    /// <paramref name="attempted"/>, on the uploaded <paramref name="inputFile"/> (null: its requests go inline).
    /// </summary>
    public void SetCreating(string name, string? inputFile, DateTimeOffset attempted)
    {
        lock (_lock)
        {
            using var update = _connection.CreateCommand();
            update.CommandText = "UPDATE batches SET status = $s, input_file = $f, submitted = $t WHERE id = $name";
            update.Parameters.AddWithValue("$s", Creating);
            update.Parameters.AddWithValue("$f", (object?)inputFile ?? DBNull.Value);
            update.Parameters.AddWithValue("$t", attempted.ToString("O", CultureInfo.InvariantCulture));
            update.Parameters.AddWithValue("$name", name);
            update.ExecuteNonQuery();
        }
    }

    /// <summary>
    /// Removes a batch the provider never created, and its requests (so they are submitted again); its uploaded
    /// input file, if any, is kept among the files to delete.
    /// </summary>
    public void Forget(BatchInfo batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        lock (_lock)
        {
            using var transaction = _connection.BeginTransaction();
            AddFiles(batch, batch.InputFile is { } input ? [input] : []);
            using var delete = _connection.CreateCommand();
            delete.CommandText = "DELETE FROM batch_requests WHERE batch = $name; DELETE FROM batches WHERE id = $name";
            delete.Parameters.AddWithValue("$name", batch.Id);
            delete.ExecuteNonQuery();
            transaction.Commit();
        }
    }

    /// <summary>The files at the provider of this provider and endpoint that are no longer needed and not yet deleted.</summary>
    public IReadOnlyList<string> FilesToDelete(string provider, string endpoint)
    {
        lock (_lock)
        {
            using var select = _connection.CreateCommand();
            select.CommandText = "SELECT file FROM batch_files WHERE provider = $p AND endpoint = $e ORDER BY rowid";
            select.Parameters.AddWithValue("$p", provider);
            select.Parameters.AddWithValue("$e", endpoint);
            using var reader = select.ExecuteReader();
            var files = new List<string>();
            while (reader.Read())
            {
                files.Add(reader.GetString(0));
            }

            return files;
        }
    }

    /// <summary>Removes a file from <see cref="FilesToDelete"/> (it was deleted, or the provider no longer has it).</summary>
    public void FileDeleted(string provider, string endpoint, string file)
    {
        lock (_lock)
        {
            using var delete = _connection.CreateCommand();
            delete.CommandText = "DELETE FROM batch_files WHERE file = $f AND provider = $p AND endpoint = $e";
            delete.Parameters.AddWithValue("$f", file);
            delete.Parameters.AddWithValue("$p", provider);
            delete.Parameters.AddWithValue("$e", endpoint);
            delete.ExecuteNonQuery();
        }
    }

    /// <summary>
    /// Makes every transaction committed so far on this database (the ledger's and the response cache's) survive a
    /// power loss, not only a killed process: a full checkpoint of the write-ahead log. False when another connection
    /// kept it from completing.
    /// </summary>
    public bool Checkpoint()
    {
        lock (_lock)
        {
            using var checkpoint = _connection.CreateCommand();
            checkpoint.CommandText = "PRAGMA wal_checkpoint(FULL)";
            using var reader = checkpoint.ExecuteReader();
            return reader.Read() && reader.GetInt64(0) == 0;
        }
    }

    /// <summary>The batches of this provider, endpoint and model, oldest first.</summary>
    public IReadOnlyList<BatchInfo> Batches(string provider, string endpoint, string model)
    {
        lock (_lock)
        {
            using var select = _connection.CreateCommand();
            select.CommandText = "SELECT id, status, requests, submitted, collected, message, input_file FROM batches WHERE provider = $p AND endpoint = $e AND model = $m ORDER BY submitted, id";
            select.Parameters.AddWithValue("$p", provider);
            select.Parameters.AddWithValue("$e", endpoint);
            select.Parameters.AddWithValue("$m", model);
            using var reader = select.ExecuteReader();
            var list = new List<BatchInfo>();
            while (reader.Read())
            {
                list.Add(new BatchInfo
                {
                    Id = reader.GetString(0),
                    Provider = provider,
                    Endpoint = endpoint,
                    Model = model,
                    Status = reader.GetString(1),
                    Requests = reader.GetInt32(2),
                    Submitted = DateTimeOffset.Parse(reader.GetString(3), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind),
                    Collected = reader.GetInt64(4) != 0,
                    Message = reader.IsDBNull(5) ? null : reader.GetString(5),
                    InputFile = reader.IsDBNull(6) ? null : reader.GetString(6),
                });
            }

            return list;
        }
    }

    /// <summary>Updates a batch's status (and message) while it runs.</summary>
    public void SetStatus(string id, string status, string? message)
    {
        lock (_lock)
        {
            Update(id, status, collected: false, message);
        }
    }

    /// <summary>
    /// Marks a batch's results as stored (answers in the cache, failures in the ledger), with its final status and
    /// message; in the same transaction, <paramref name="filesToDelete"/> (its files at the provider, now no longer
    /// needed) join <see cref="FilesToDelete"/>.
    /// </summary>
    public void SetCollected(BatchInfo batch, string status, string? message, IReadOnlyList<string> filesToDelete)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentNullException.ThrowIfNull(filesToDelete);
        lock (_lock)
        {
            using var transaction = _connection.BeginTransaction();
            Update(batch.Id, status, collected: true, message);
            AddFiles(batch, filesToDelete);
            transaction.Commit();
        }
    }

    private void Update(string id, string status, bool collected, string? message)
    {
        using var update = _connection.CreateCommand();
        update.CommandText = "UPDATE batches SET status = $s, collected = $c, message = $m WHERE id = $id";
        update.Parameters.AddWithValue("$s", status);
        update.Parameters.AddWithValue("$c", collected ? 1 : 0);
        update.Parameters.AddWithValue("$m", (object?)message ?? DBNull.Value);
        update.Parameters.AddWithValue("$id", id);
        update.ExecuteNonQuery();
    }

    private void AddFiles(BatchInfo batch, IReadOnlyList<string> files)
    {
        using var insert = _connection.CreateCommand();
        insert.CommandText = "INSERT OR IGNORE INTO batch_files (file, provider, endpoint) VALUES ($f, $p, $e)";
        var file = insert.Parameters.Add("$f", SqliteType.Text);
        insert.Parameters.AddWithValue("$p", batch.Provider);
        insert.Parameters.AddWithValue("$e", batch.Endpoint);
        foreach (var f in files)
        {
            file.Value = f;
            insert.ExecuteNonQuery();
        }
    }

    /// <summary>The batch a request key was sent in and why it has no answer, or null when it was never batched.</summary>
    public (string Batch, string? ErrorKind, string? Error)? Request(string key)
    {
        lock (_lock)
        {
            using var select = _connection.CreateCommand();
            select.CommandText = "SELECT batch, error_kind, error FROM batch_requests WHERE key = $key";
            select.Parameters.AddWithValue("$key", key);
            using var reader = select.ExecuteReader();
            return reader.Read() ? (reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2)) : null;
        }
    }

    /// <summary>
    /// <see cref="Request"/> for many keys in one query (at most <see cref="ResponseCache.MaxKeysPerQuery"/>): the
    /// keys the ledger holds, with their batch and, once collected, why they have no answer.
    /// </summary>
    /// <exception cref="ArgumentException">More keys than one query may hold.</exception>
    public Dictionary<string, (string Batch, string? ErrorKind, string? Error)> Requests(IReadOnlyList<string> keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var found = new Dictionary<string, (string Batch, string? ErrorKind, string? Error)>(StringComparer.Ordinal);
        if (keys.Count == 0)
        {
            return found;
        }

        lock (_lock)
        {
            using var select = ResponseCache.KeysQuery(_connection, "SELECT key, batch, error_kind, error FROM batch_requests WHERE key IN ", keys);
            using var reader = select.ExecuteReader();
            while (reader.Read())
            {
                found[reader.GetString(0)] = (reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetString(3));
            }
        }

        return found;
    }

    /// <summary>The keys of a batch.</summary>
    public HashSet<string> Keys(string batch)
    {
        lock (_lock)
        {
            using var select = _connection.CreateCommand();
            select.CommandText = "SELECT key FROM batch_requests WHERE batch = $b";
            select.Parameters.AddWithValue("$b", batch);
            using var reader = select.ExecuteReader();
            var keys = new HashSet<string>(StringComparer.Ordinal);
            while (reader.Read())
            {
                keys.Add(reader.GetString(0));
            }

            return keys;
        }
    }

    /// <summary>Stores why requests have no answer (kind and message per key), in one transaction.</summary>
    public void SetErrors(IEnumerable<(string Key, string Kind, string Error)> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        lock (_lock)
        {
            using var transaction = _connection.BeginTransaction();
            using var update = _connection.CreateCommand();
            update.CommandText = "UPDATE batch_requests SET error_kind = $k, error = $e WHERE key = $key";
            var key = update.Parameters.Add("$key", SqliteType.Text);
            var kind = update.Parameters.Add("$k", SqliteType.Text);
            var error = update.Parameters.Add("$e", SqliteType.Text);
            foreach (var (k, kd, e) in errors)
            {
                key.Value = k;
                kind.Value = kd;
                error.Value = e;
                update.ExecuteNonQuery();
            }

            transaction.Commit();
        }
    }

    /// <inheritdoc />
    public void Dispose() => _connection.Dispose();
}
