using Microsoft.Data.Sqlite;
using Npgsql;

namespace Lpp.Serving.Tests;

/// <summary>
/// Faults a test puts into an audit database from outside the server, as a database administrator could: triggers that
/// refuse rows (a poisoned request, every request, every review), and a lock that holds the store's writer until
/// released, so the writes queued meanwhile are committed together. <c>database</c> is the SQLite file or the
/// PostgreSQL connection string of the store's schema.
/// </summary>
internal static class StoreFaults
{
    /// <summary>What a poisoned record holds (<see cref="Poisoned"/>); rows whose body holds it are refused by <see cref="Refusal.PoisonedRequests"/>.</summary>
    public const string Poison = "lpp-poison";

    /// <summary>Which rows a trigger refuses.</summary>
    public enum Refusal
    {
        /// <summary>Request rows whose body holds <see cref="Poison"/>.</summary>
        PoisonedRequests,

        /// <summary>Every request row (no decision can be stored).</summary>
        Requests,

        /// <summary>Every review row.</summary>
        Reviews,
    }

    /// <summary>The record with an unknown field holding <see cref="Poison"/> (unknown fields are accepted and stored).</summary>
    public static string Poisoned(string record) => record.Insert(1, $"\"note\": \"{Poison}\", ");

    /// <summary>Makes the database refuse the rows of <paramref name="refusal"/> from now on.</summary>
    public static void Refuse(AuditStoreKind kind, string database, Refusal refusal)
    {
        var (table, sqliteWhen, postgresWhen) = refusal switch
        {
            Refusal.PoisonedRequests => ("requests", $"WHEN instr(CAST(NEW.body AS TEXT), '{Poison}') > 0", $"WHEN (position(convert_to('{Poison}', 'UTF8') in NEW.body) > 0)"),
            Refusal.Requests => ("requests", string.Empty, string.Empty),
            _ => ("reviews", string.Empty, string.Empty),
        };
        var name = $"lpp_test_{refusal.ToString().ToLowerInvariant()}";
        if (kind == AuditStoreKind.Sqlite)
        {
            Sqlite(database, $"CREATE TRIGGER {name} BEFORE INSERT ON {table} {sqliteWhen} BEGIN SELECT RAISE(ABORT, 'refused by the test'); END;");
        }
        else
        {
            Postgres(database, $"""
                CREATE OR REPLACE FUNCTION lpp_test_refuse() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'refused by the test'; END $$;
                CREATE TRIGGER {name} BEFORE INSERT ON lpp_{table} FOR EACH ROW {postgresWhen} EXECUTE FUNCTION lpp_test_refuse();
                """);
        }
    }

    /// <summary>Removes every refusal.</summary>
    public static void Allow(AuditStoreKind kind, string database)
    {
        foreach (var refusal in Enum.GetValues<Refusal>())
        {
            var name = $"lpp_test_{refusal.ToString().ToLowerInvariant()}";
            var table = refusal == Refusal.Reviews ? "reviews" : "requests";
            if (kind == AuditStoreKind.Sqlite)
            {
                Sqlite(database, $"DROP TRIGGER IF EXISTS {name};");
            }
            else
            {
                Postgres(database, $"DROP TRIGGER IF EXISTS {name} ON lpp_{table};");
            }
        }
    }

    /// <summary>
    /// Takes the database's write lock (SQLite: a write transaction, which the writer waits for up to its busy timeout;
    /// PostgreSQL: an exclusive lock on the requests and reviews tables) until disposed.
    /// </summary>
    public static IDisposable HoldWrites(AuditStoreKind kind, string database)
    {
        if (kind == AuditStoreKind.Sqlite)
        {
            var sqlite = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = database, Pooling = false }.ToString());
            sqlite.Open();
            Execute(sqlite.CreateCommand(), "BEGIN IMMEDIATE");
            return new Held(() =>
            {
                Execute(sqlite.CreateCommand(), "ROLLBACK");
                sqlite.Dispose();
            });
        }

        var postgres = new NpgsqlConnection(database);
        postgres.Open();
        Execute(postgres.CreateCommand(), "BEGIN; LOCK TABLE lpp_requests, lpp_reviews IN EXCLUSIVE MODE");
        return new Held(() =>
        {
            Execute(postgres.CreateCommand(), "ROLLBACK");
            postgres.Dispose();
        });
    }

    private static void Sqlite(string path, string sql)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        connection.Open();
        Execute(connection.CreateCommand(), sql);
    }

    private static void Postgres(string connectionString, string sql)
    {
        using var connection = new NpgsqlConnection(connectionString);
        connection.Open();
        Execute(connection.CreateCommand(), sql);
    }

    private static void Execute(System.Data.Common.DbCommand command, string sql)
    {
        using (command)
        {
            command.CommandText = sql;
            command.ExecuteNonQuery();
        }
    }

    private sealed class Held(Action release) : IDisposable
    {
        public void Dispose() => release();
    }
}
