using Npgsql;

namespace Lpp.Serving.Tests;

/// <summary>
/// Fresh PostgreSQL schemas on the server named by <c>LPP_POSTGRES</c> (<c>scripts/postgres-test-db.sh</c> starts one
/// and prints it): each <see cref="Create"/> gives a connection string whose search path is a new empty schema, all
/// dropped on dispose. Without <c>LPP_POSTGRES</c> the test is skipped with the reason, except when CI is set, where
/// it fails: the PostgreSQL tests must run in CI.
/// </summary>
public sealed class PostgresSchemas : IDisposable
{
    private readonly List<string> _schemas = [];
    private string? _server;

    /// <summary>A connection string to a new, empty schema.</summary>
    public string Create()
    {
        _server ??= Server();
        var schema = "lpp_t_" + Guid.NewGuid().ToString("N");
        using (var connection = new NpgsqlConnection(_server))
        {
            connection.Open();
            using var command = new NpgsqlCommand($"CREATE SCHEMA {schema}", connection);
            command.ExecuteNonQuery();
        }

        lock (_schemas)
        {
            _schemas.Add(schema);
        }

        // Generous timeouts: the shared test machine can be very busy.
        return new NpgsqlConnectionStringBuilder(_server) { SearchPath = schema, Timeout = 60, CommandTimeout = 120 }.ToString();
    }

    public void Dispose()
    {
        if (_server is null || _schemas.Count == 0)
        {
            return;
        }

        NpgsqlConnection.ClearAllPools();
        using var connection = new NpgsqlConnection(_server);
        connection.Open();
        foreach (var schema in _schemas)
        {
            using var command = new NpgsqlCommand($"DROP SCHEMA IF EXISTS {schema} CASCADE", connection);
            command.ExecuteNonQuery();
        }
    }

    /// <summary>The server's connection string; skips or fails the test when there is none.</summary>
    public static string Server()
    {
        var server = Environment.GetEnvironmentVariable("LPP_POSTGRES");
        if (string.IsNullOrWhiteSpace(server))
        {
            const string reason = "LPP_POSTGRES is not set (scripts/postgres-test-db.sh starts a local PostgreSQL and prints it)";
            if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CI")))
            {
                Assert.Fail(reason + " and CI is set: the PostgreSQL tests must run in CI");
            }

            Assert.Skip(reason);
        }

        return server;
    }
}
