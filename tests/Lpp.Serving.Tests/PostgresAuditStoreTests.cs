using Npgsql;

namespace Lpp.Serving.Tests;

/// <summary>What is particular to the PostgreSQL store (the shared behaviour is in <see cref="PostgresAuditStoreContractTests"/>).</summary>
public sealed class PostgresAuditStoreTests : IDisposable
{
    private readonly PostgresSchemas _schemas = new();

    public void Dispose() => _schemas.Dispose();

    [Fact]
    public async Task OpenAsync_EmptySchema_CreatesVersionFour()
    {
        // Given an empty schema
        var connection = _schemas.Create();

        // When a store opens it twice (a second replica starting)
        await (await PostgresAuditStore.OpenAsync(connection)).DisposeAsync();
        await (await PostgresAuditStore.OpenAsync(connection)).DisposeAsync();

        // Then the schema is recorded once, at version 4
        Assert.Equal([4], Scalars(connection, "SELECT version FROM lpp_schema"));
    }

    [Fact]
    public async Task OpenAsync_VersionTwoSchema_MigratedToFourWithModelReleases()
    {
        // Given a schema as version 2 left it (no model releases, no heartbeat, no shadow)
        var connection = _schemas.Create();
        await (await PostgresAuditStore.OpenAsync(connection)).DisposeAsync();
        Scalars(connection, "DROP TABLE lpp_model_releases, lpp_heartbeat;" + DropShadow + "UPDATE lpp_schema SET version = 2");

        // When this lpp opens it
        await using var store = await PostgresAuditStore.OpenAsync(connection);

        // Then it is at version 4 and takes model releases
        Assert.Equal([4], Scalars(connection, "SELECT version FROM lpp_schema"));
        var release = await store.PublishModelAsync(ServedModel.From(File.ReadAllBytes(ServeTestData.ModelA), DateTimeOffset.UnixEpoch), 0);
        Assert.Equal(release, store.CurrentModel()!.Version);
    }

    [Fact]
    public async Task OpenAsync_NewerSchema_RefusedWithOneLine()
    {
        // Given a schema migrated by a later lpp (version 5)
        var connection = _schemas.Create();
        await (await PostgresAuditStore.OpenAsync(connection)).DisposeAsync();
        Scalars(connection, "UPDATE lpp_schema SET version = 5");

        // When this lpp opens it, then it refuses on one line naming both versions
        var e = await Assert.ThrowsAsync<ServeException>(() => PostgresAuditStore.OpenAsync(connection));
        Assert.StartsWith("--store postgres: the database holds audit schema version 5, newer than this lpp knows (4)", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public async Task OpenAsync_VersionOneSchema_MigratedKeepingItsDecisionsAtRateZero()
    {
        // Given a version-1 schema (before audit rates) holding one decision
        var connection = _schemas.Create();
        var served = ServedModel.From(File.ReadAllBytes(ServeTestData.ModelA), new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero));
        var record = System.Text.Encoding.UTF8.GetBytes(ServeTestData.Records[0]);
        var decision = served.Router.Route(new DecisionRecordParser().Parse(record));
        AuditDecision[] decisions = [new(decision.Reason, decision.Queue, decision.Score, 1 - decision.Score, 0..record.Length, -1)];
        await using (var store = await PostgresAuditStore.OpenAsync(connection))
        {
            await store.AppendAsync(new AuditRequest(DecisionIds.New(served.LoadedAt), served, "test", 1, record, decisions, 1));
        }

        Scalars(connection, "DROP TABLE lpp_model_releases, lpp_heartbeat; ALTER TABLE lpp_requests DROP COLUMN audit_rate;" + DropShadow + "UPDATE lpp_schema SET version = 1");

        // When this lpp opens it (twice: a second replica) and appends a decision at an audit rate of 0.25
        await (await PostgresAuditStore.OpenAsync(connection)).DisposeAsync();
        await using var migrated = await PostgresAuditStore.OpenAsync(connection);
        await migrated.AppendAsync(new AuditRequest(DecisionIds.New(served.LoadedAt.AddSeconds(1)), served, "test", 2, record, decisions, 1, 0.25));

        // Then the schema is at version 4 and the old decision reads at rate 0, the new one at 0.25
        Assert.Equal([4], Scalars(connection, "SELECT version FROM lpp_schema"));
        Assert.Equal([0.0, 0.25], migrated.Decisions(null, null).Select(e => e.AuditRate));
    }

    [Fact]
    public async Task OpenAsync_VersionThreeSchema_MigratedItsDecisionsWithoutShadowNewOnesWithIt()
    {
        // Given a version-3 schema (before shadow models) holding one decision
        var connection = _schemas.Create();
        var served = ServedModel.From(File.ReadAllBytes(ServeTestData.ModelA), new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero));
        var shadow = ServedModel.From(ServeTestData.ModelBBytes, served.LoadedAt);
        var record = System.Text.Encoding.UTF8.GetBytes(ServeTestData.Records[0]);
        var decision = served.Router.Route(new DecisionRecordParser().Parse(record));
        AuditDecision[] decisions = [new(decision.Reason, decision.Queue, decision.Score, 1 - decision.Score, 0..record.Length, -1)];
        var first = DecisionIds.New(served.LoadedAt);
        await using (var store = await PostgresAuditStore.OpenAsync(connection))
        {
            await store.AppendAsync(new AuditRequest(first, served, "test", 1, record, decisions, 1));
        }

        Scalars(connection, DropShadow + "UPDATE lpp_schema SET version = 3");

        // When this lpp opens it (twice: a second replica) and appends a decision a shadow model trusted at 0.75
        await (await PostgresAuditStore.OpenAsync(connection)).DisposeAsync();
        await using var migrated = await PostgresAuditStore.OpenAsync(connection);
        AuditDecision[] shadowed = [decisions[0] with { ShadowReason = RoutingReason.Confident, ShadowScore = 0.75 }];
        var second = DecisionIds.New(served.LoadedAt.AddSeconds(1));
        await migrated.AppendAsync(new AuditRequest(second, served, "test", 2, record, shadowed, 1, 0, shadow));

        // Then the schema is at version 4, the old decision has no shadow, the new one names it with its score and reason
        Assert.Equal([4], Scalars(connection, "SELECT version FROM lpp_schema"));
        Assert.Equal(
            [(null, null, double.NaN), (shadow.Checksum, "confident", 0.75)],
            migrated.Decisions(null, null).Select(e => (e.Shadow, e.ShadowReason, e.ShadowScore)));
        var found = migrated.Find(ServedDecisionJson.Format(second))!;
        Assert.Equal((shadow.Checksum, "confident", 0.75), (found.Shadow, found.ShadowReason, found.ShadowScore));
        Assert.Null(migrated.Find(ServedDecisionJson.Format(first))!.Shadow);
    }

    /// <summary>What takes a schema back to before version 4: the shadow model's columns.</summary>
    private const string DropShadow = " ALTER TABLE lpp_requests DROP COLUMN shadow_ref, DROP COLUMN shadow; ";

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
