using System.Security.Cryptography;
using System.Text;
using Microsoft.Data.Sqlite;

namespace Lpp.Inference;

/// <summary>
/// An on-disk cache of raw provider responses (SQLite, write-ahead log), keyed by a SHA-256 of the provider, the
/// base URL, the model and the exact request body (prompt and decoding settings). A response is stored as soon as it is received
/// and parsed, before its record is written, so a run killed in between finds it on resume and calls nothing.
/// </summary>
public sealed class ResponseCache : IDisposable
{
    private readonly SqliteConnection _connection;
    private readonly SqliteCommand _get;
    private readonly SqliteCommand _put;
    private readonly SqliteCommand _has;
    private readonly Lock _lock = new();

    /// <summary>Opens (creating when needed) the cache at <paramref name="path"/>.</summary>
    public ResponseCache(string path)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (folder is not null)
        {
            Directory.CreateDirectory(folder);
        }

        _connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        _connection.Open();
        using (var setup = _connection.CreateCommand())
        {
            setup.CommandText = """
                PRAGMA journal_mode = WAL;
                PRAGMA synchronous = NORMAL;
                CREATE TABLE IF NOT EXISTS responses (
                    key TEXT PRIMARY KEY,
                    provider TEXT NOT NULL,
                    model TEXT NOT NULL,
                    body TEXT NOT NULL,
                    created TEXT NOT NULL);
                """;
            setup.ExecuteNonQuery();
        }

        _get = _connection.CreateCommand();
        _get.CommandText = "SELECT body FROM responses WHERE key = $key";
        _get.Parameters.Add("$key", SqliteType.Text);
        _has = _connection.CreateCommand();
        _has.CommandText = "SELECT 1 FROM responses WHERE key = $key";
        _has.Parameters.Add("$key", SqliteType.Text);
        _put = _connection.CreateCommand();
        _put.CommandText = "INSERT OR REPLACE INTO responses (key, provider, model, body, created) VALUES ($key, $provider, $model, $body, $created)";
        foreach (var name in new[] { "$key", "$provider", "$model", "$body", "$created" })
        {
            _put.Parameters.Add(name, SqliteType.Text);
        }
    }

    /// <summary>
    /// The cache key of a request: hex SHA-256 of provider, endpoint (base URL), model and request body, each but the
    /// body followed by a line feed (none of them holds one), so an answer from one server is never replayed for another.
    /// </summary>
    public static string Key(string provider, string endpoint, string model, string requestBody)
    {
        ArgumentNullException.ThrowIfNull(provider);
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(requestBody);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(provider + "\n" + endpoint + "\n" + model + "\n" + requestBody)));
    }

    /// <summary>True when a body is stored under <paramref name="key"/>.</summary>
    public bool Contains(string key)
    {
        lock (_lock)
        {
            _has.Parameters["$key"].Value = key;
            return _has.ExecuteScalar() is not null;
        }
    }

    /// <summary>Which of <paramref name="keys"/> have a body stored: one query for them all (at most <see cref="MaxKeysPerQuery"/>).</summary>
    /// <exception cref="ArgumentException">More keys than one query may hold.</exception>
    public HashSet<string> Present(IReadOnlyList<string> keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var present = new HashSet<string>(StringComparer.Ordinal);
        if (keys.Count == 0)
        {
            return present;
        }

        lock (_lock)
        {
            using var select = KeysQuery(_connection, "SELECT key FROM responses WHERE key IN ", keys);
            using var reader = select.ExecuteReader();
            while (reader.Read())
            {
                present.Add(reader.GetString(0));
            }
        }

        return present;
    }

    /// <summary>The most keys <see cref="Present"/> (and the ledger's lookups) take in one query.</summary>
    public const int MaxKeysPerQuery = 1000;

    /// <summary>A command <c>{prefix}($k0, $k1, ...)</c> with one parameter per key.</summary>
    internal static SqliteCommand KeysQuery(SqliteConnection connection, string prefix, IReadOnlyList<string> keys)
    {
        if (keys.Count > MaxKeysPerQuery)
        {
            throw new ArgumentException($"{keys.Count} keys in one query (at most {MaxKeysPerQuery})", nameof(keys));
        }

        var command = connection.CreateCommand();
        var sql = new StringBuilder(prefix, prefix.Length + (keys.Count * 8) + 2).Append('(');
        for (var i = 0; i < keys.Count; i++)
        {
            var name = "$k" + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
            sql.Append(i == 0 ? string.Empty : ",").Append(name);
            command.Parameters.Add(name, SqliteType.Text).Value = keys[i];
        }

        command.CommandText = sql.Append(')').ToString();
        return command;
    }

    /// <summary>The stored body of <paramref name="key"/>, or null.</summary>
    public string? TryGet(string key)
    {
        lock (_lock)
        {
            _get.Parameters["$key"].Value = key;
            return _get.ExecuteScalar() as string;
        }
    }

    /// <summary>Stores a body (replacing any earlier one under the same key).</summary>
    public void Put(string key, string provider, string model, string body, DateTimeOffset created)
    {
        lock (_lock)
        {
            _put.Parameters["$key"].Value = key;
            _put.Parameters["$provider"].Value = provider;
            _put.Parameters["$model"].Value = model;
            _put.Parameters["$body"].Value = body;
            _put.Parameters["$created"].Value = created.ToString("O", System.Globalization.CultureInfo.InvariantCulture);
            _put.ExecuteNonQuery();
        }
    }

    /// <summary>Stores many bodies (replacing earlier ones under the same keys) in one transaction.</summary>
    public void PutMany(IReadOnlyList<(string Key, string Body)> entries, string provider, string model, DateTimeOffset created)
    {
        ArgumentNullException.ThrowIfNull(entries);
        lock (_lock)
        {
            using var transaction = _connection.BeginTransaction();
            _put.Transaction = transaction;
            try
            {
                _put.Parameters["$provider"].Value = provider;
                _put.Parameters["$model"].Value = model;
                _put.Parameters["$created"].Value = created.ToString("O", System.Globalization.CultureInfo.InvariantCulture);
                foreach (var (key, body) in entries)
                {
                    _put.Parameters["$key"].Value = key;
                    _put.Parameters["$body"].Value = body;
                    _put.ExecuteNonQuery();
                }

                transaction.Commit();
            }
            finally
            {
                _put.Transaction = null;
            }
        }
    }

    /// <summary>Number of stored responses.</summary>
    public long Count()
    {
        lock (_lock)
        {
            using var count = _connection.CreateCommand();
            count.CommandText = "SELECT COUNT(*) FROM responses";
            return (long)count.ExecuteScalar()!;
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _get.Dispose();
        _has.Dispose();
        _put.Dispose();
        _connection.Dispose();
    }
}
