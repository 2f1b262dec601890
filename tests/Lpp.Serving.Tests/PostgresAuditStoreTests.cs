using Npgsql;

namespace Lpp.Serving.Tests;

/// <summary>What is particular to the PostgreSQL store (the shared behaviour is in <see cref="PostgresAuditStoreContractTests"/>).</summary>
public sealed class PostgresAuditStoreTests : IDisposable
{
    private readonly PostgresSchemas _schemas = new();

    public void Dispose() => _schemas.Dispose();

    [Fact]
    public async Task OpenAsync_EmptySchema_CreatesVersionOne()
    {
        // Given an empty schema
        var connection = _schemas.Create();

        // When a store opens it twice (a second replica starting)
        await (await PostgresAuditStore.OpenAsync(connection)).DisposeAsync();
        await (await PostgresAuditStore.OpenAsync(connection)).DisposeAsync();

        // Then the schema is recorded once, at version 1
        Assert.Equal([1], Scalars(connection, "SELECT version FROM lpp_schema"));
    }

    [Fact]
    public async Task OpenAsync_NewerSchema_RefusedWithOneLine()
    {
        // Given a schema migrated by a later lpp (version 2)
        var connection = _schemas.Create();
        await (await PostgresAuditStore.OpenAsync(connection)).DisposeAsync();
        Scalars(connection, "UPDATE lpp_schema SET version = 2");

        // When this lpp opens it, then it refuses on one line naming both versions
        var e = await Assert.ThrowsAsync<ServeException>(() => PostgresAuditStore.OpenAsync(connection));
        Assert.StartsWith("--store postgres: the database holds audit schema version 2, newer than this lpp knows (1)", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public async Task OpenAsync_WrongPassword_OneLineWithoutThePassword()
    {
        // Given the test server's connection string with a wrong password
        var wrong = new NpgsqlConnectionStringBuilder(PostgresSchemas.Server()) { Password = "not-the-password-1234" }.ToString();

        // When a store opens it, then it refuses on one line that names the database but not the password
        var e = await Assert.ThrowsAsync<ServeException>(() => PostgresAuditStore.OpenAsync(wrong));
        Assert.StartsWith("--store postgres: database ", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("not-the-password-1234", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
    }

    private static List<int> Scalars(string connectionString, string sql)
    {
        using var connection = new NpgsqlConnection(connectionString);
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection);
        using var reader = command.ExecuteReader();
        var values = new List<int>();
        while (reader.Read())
        {
            values.Add(reader.GetInt32(0));
        }

        return values;
    }
}
