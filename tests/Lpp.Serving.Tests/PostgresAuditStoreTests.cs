using Npgsql;

namespace Lpp.Serving.Tests;

/// <summary>What is particular to the PostgreSQL store (the shared behaviour is in <see cref="PostgresAuditStoreContractTests"/>).</summary>
public sealed class PostgresAuditStoreTests : IDisposable
{
    private readonly PostgresSchemas _schemas = new();

    public void Dispose() => _schemas.Dispose();

    [Fact]
    public async Task OpenAsync_EmptySchema_CreatesTheCurrentVersion()
    {
        // Given an empty schema
        var connection = _schemas.Create();

        // When a store opens it twice (a second replica starting)
        await (await PostgresAuditStore.OpenAsync(connection)).DisposeAsync();
        await (await PostgresAuditStore.OpenAsync(connection)).DisposeAsync();

        // Then the schema is recorded once, at version 2
        Assert.Equal([2], Scalars(connection, "SELECT version FROM lpp_schema"));
    }

    [Fact]
    public async Task OpenAsync_VersionOneSchema_MigratedToTwoWithModelReleases()
    {
        // Given a schema as version 1 left it (no model releases)
        var connection = _schemas.Create();
        await (await PostgresAuditStore.OpenAsync(connection)).DisposeAsync();
        Scalars(connection, "DROP TABLE lpp_model_releases; UPDATE lpp_schema SET version = 1");

        // When this lpp opens it
        await using var store = await PostgresAuditStore.OpenAsync(connection);

        // Then it is at version 2 and takes model releases
        Assert.Equal([2], Scalars(connection, "SELECT version FROM lpp_schema"));
        var release = await store.PublishModelAsync(ServedModel.From(File.ReadAllBytes(ServeTestData.ModelA), DateTimeOffset.UnixEpoch), 0);
        Assert.Equal(release, store.CurrentModel()!.Version);
    }

    [Fact]
    public async Task OpenAsync_NewerSchema_RefusedWithOneLine()
    {
        // Given a schema migrated by a later lpp (version 3)
        var connection = _schemas.Create();
        await (await PostgresAuditStore.OpenAsync(connection)).DisposeAsync();
        Scalars(connection, "UPDATE lpp_schema SET version = 3");

        // When this lpp opens it, then it refuses on one line naming both versions
        var e = await Assert.ThrowsAsync<ServeException>(() => PostgresAuditStore.OpenAsync(connection));
        Assert.StartsWith("--store postgres: the database holds audit schema version 3, newer than this lpp knows (2)", e.Message, StringComparison.Ordinal);
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
