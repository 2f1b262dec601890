using System.Text;
using Microsoft.Data.Sqlite;

namespace Lpp.Serving.Tests;

/// <summary>What is particular to the SQLite store (the shared behaviour is in <see cref="SqliteAuditStoreContractTests"/>).</summary>
public sealed class SqliteAuditStoreTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);

    [Fact]
    public async Task AppendAsync_BatchBodyOverFourKiB_StoredDeflatedAndReadBackExactly()
    {
        // Given a store, a JSON Lines body of 100 records (over 4 KiB: stored deflated) and one record alone (stored as received)
        using var dir = new TempDir();
        var served = ServedModel.From(File.ReadAllBytes(ServeTestData.ModelA), Now);
        var records = ServeTestData.Records.Take(100).ToList();
        var body = Encoding.UTF8.GetBytes(string.Join("\r\n", records) + "\n");
        var batchFirst = DecisionIds.New(Now);
        var singleFirst = DecisionIds.New(Now.AddMilliseconds(1));

        // When both are appended, and decision 99 of the batch and the single one are reviewed
        var db = dir.File("audit.db");
        await using (var store = SqliteAuditStore.Open(db))
        {
            await store.AppendAsync(Request(served, batchFirst, body, records));
            await store.AppendAsync(Request(served, singleFirst, Encoding.UTF8.GetBytes(records[7]), [records[7]]));
            Assert.Equal(ReviewStatus.Recorded, (await store.ReviewAsync(new AuditReview(Id(batchFirst, 99), "True", "ann", "test", 1))).Status);
            Assert.Equal(ReviewStatus.Recorded, (await store.ReviewAsync(new AuditReview(Id(singleFirst, 0), "False", "ann", "test", 2))).Status);
        }

        // Then every record reads back byte for byte, the batch body is stored deflated, and the reviews export both
        await using var read = SqliteAuditStore.OpenReadOnly(db);
        for (var k = 0; k < records.Count; k++)
        {
            Assert.Equal(records[k], Encoding.UTF8.GetString(read.Find(Id(batchFirst, k))!.RecordJson));
        }

        Assert.Equal(records[7], Encoding.UTF8.GetString(read.Find(Id(singleFirst, 0))!.RecordJson));
        Assert.Equal([(records[99], "True"), (records[7], "False")], read.Reviewed().Select(e => (Encoding.UTF8.GetString(e.RecordJson), e.Verdict)));
        using var connection = new SqliteConnection($"Data Source={db};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT body_codec, length(body) FROM requests ORDER BY request_ref";
        using var rows = command.ExecuteReader();
        Assert.True(rows.Read());
        Assert.Equal(1, rows.GetInt32(0));
        Assert.True(rows.GetInt64(1) < body.Length / 5, $"the batch body takes {rows.GetInt64(1)} bytes of {body.Length}");
        Assert.True(rows.Read());
        Assert.Equal(0, rows.GetInt32(0));
    }

    [Fact]
    public async Task Ready_ReadOnlyStore_NeverReady()
    {
        // Given a store that is open, then closed
        using var dir = new TempDir();
        var store = SqliteAuditStore.Open(dir.File("audit.db"));
        var readyWhileOpen = store.Ready;
        var readOnly = SqliteAuditStore.OpenReadOnly(dir.File("audit.db"));

        // When it is closed
        await store.DisposeAsync();

        // Then it was ready while its writer ran and is not afterwards; a read-only store never takes writes
        Assert.True(readyWhileOpen);
        Assert.False(store.Ready);
        Assert.False(readOnly.Ready);
        await readOnly.DisposeAsync();
    }

    [Fact]
    public void Open_FormatOneDatabase_RefusedNamingTheFormat()
    {
        // Given a database laid out as the first lpp serve did (one decisions table, user_version 0)
        using var dir = new TempDir();
        var db = dir.File("old.db");
        using (var connection = new SqliteConnection($"Data Source={db};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "CREATE TABLE decisions (decision_id TEXT PRIMARY KEY, record_json TEXT, decision_json TEXT)";
            command.ExecuteNonQuery();
        }

        // When it is opened for writing and for export
        var write = Assert.Throws<ServeException>(() => SqliteAuditStore.Open(db));
        var export = Assert.Throws<ServeException>(() => SqliteAuditStore.OpenReadOnly(db));

        // Then both are refused, naming the format and what to do
        Assert.All([write, export], e => Assert.Contains("format 1", e.Message, StringComparison.Ordinal));
        Assert.Contains("new --db", write.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Open_FormatFourDatabase_MigratedToSixWithModelReleases()
    {
        // Given a database as format 4 left it (no model releases, no heartbeat, no shadow)
        using var dir = new TempDir();
        var db = dir.File("audit.db");
        await SqliteAuditStore.Open(db).DisposeAsync();
        Execute(db, "DROP TABLE model_releases; DROP TABLE heartbeat;" + DropShadow + "PRAGMA user_version = 4;");

        // When this lpp opens it and publishes a model
        await using var store = SqliteAuditStore.Open(db);
        var release = await store.PublishModelAsync(ServedModel.From(File.ReadAllBytes(ServeTestData.ModelA), Now), 0);

        // Then the release is the latest, and the database says format 6
        Assert.Equal(release, store.CurrentModel()!.Version);
        Assert.Equal(6L, Scalar(db, "PRAGMA user_version"));
    }

    [Fact]
    public async Task Open_FormatThreeDatabase_MigratedKeepingItsDecisionsAtRateZero()
    {
        // Given a database of format 3 (before audit rates) holding a request of 3 decisions
        using var dir = new TempDir();
        var db = dir.File("audit.db");
        var served = ServedModel.From(File.ReadAllBytes(ServeTestData.ModelA), Now);
        var records = ServeTestData.Records.Take(3).ToList();
        var first = DecisionIds.New(Now);
        await using (var store = SqliteAuditStore.Open(db))
        {
            await store.AppendAsync(Request(served, first, Encoding.UTF8.GetBytes(string.Join('\n', records)), records));
        }

        Execute(db, "DROP TABLE model_releases; DROP TABLE heartbeat; ALTER TABLE requests DROP COLUMN audit_rate;" + DropShadow + "PRAGMA user_version = 3;");
        var exportedBefore = SqliteAuditStore.OpenReadOnly(db);
        var readBefore = exportedBefore.Decisions(null, null).Select(e => (e.RecordId, e.AuditRate)).ToList();
        await exportedBefore.DisposeAsync();

        // When it is served again at an audit rate of 0.5 and a new request is appended
        var second = DecisionIds.New(Now.AddSeconds(1));
        await using (var store = SqliteAuditStore.Open(db))
        {
            await store.AppendAsync(Request(served, second, Encoding.UTF8.GetBytes(records[0]), [records[0]]) with { AuditRate = 0.5 });
        }

        // Then the format-3 file was readable for export, it is format 6 now, and its old decisions read at rate 0
        await using var read = SqliteAuditStore.OpenReadOnly(db);
        Assert.Equal(records.Select(r => (new DecisionRecordParser().Parse(Encoding.UTF8.GetBytes(r)).Id, 0.0)), readBefore);
        Assert.Equal(6L, Scalar(db, "PRAGMA user_version"));
        Assert.Equal([0.0, 0.0, 0.0, 0.5], read.Decisions(null, null).Select(e => e.AuditRate));
    }

    [Fact]
    public async Task Open_FormatFiveDatabase_MigratedToSixItsDecisionsWithoutShadowNewOnesWithIt()
    {
        // Given a database of format 5 (before shadow models) holding a request of 2 decisions
        using var dir = new TempDir();
        var db = dir.File("audit.db");
        var served = ServedModel.From(File.ReadAllBytes(ServeTestData.ModelA), Now);
        var shadow = ServedModel.From(ServeTestData.ModelBBytes, Now);
        var records = ServeTestData.Records.Take(2).ToList();
        var first = DecisionIds.New(Now);
        await using (var store = SqliteAuditStore.Open(db))
        {
            await store.AppendAsync(Request(served, first, Encoding.UTF8.GetBytes(string.Join('\n', records)), records));
        }

        Execute(db, DropShadow + "PRAGMA user_version = 5;");
        var exportedBefore = SqliteAuditStore.OpenReadOnly(db);
        var readBefore = exportedBefore.Decisions(null, null).Select(e => (e.RecordId, e.Shadow)).ToList();
        await exportedBefore.DisposeAsync();

        // When it is served again and a request scored by a shadow model is appended (score 0.25, escalate)
        var second = DecisionIds.New(Now.AddSeconds(1));
        var request = Request(served, second, Encoding.UTF8.GetBytes(records[0]), [records[0]]);
        request.Decisions[0] = request.Decisions[0] with { ShadowReason = RoutingReason.LowConfidence, ShadowScore = 0.25 };
        await using (var store = SqliteAuditStore.Open(db))
        {
            await store.AppendAsync(request with { Shadow = shadow });
        }

        // Then the format-5 file was readable for export (no shadow), it is format 6 now, its old decisions have no
        // shadow and the new one has the shadow's checksum, score and reason
        await using var read = SqliteAuditStore.OpenReadOnly(db);
        Assert.All(readBefore, d => Assert.Null(d.Shadow));
        Assert.Equal(2, readBefore.Count);
        Assert.Equal(6L, Scalar(db, "PRAGMA user_version"));
        Assert.Equal(
            [(null, null, double.NaN), (null, null, double.NaN), (shadow.Checksum, "low_confidence", 0.25)],
            read.Decisions(null, null).Select(e => (e.Shadow, e.ShadowReason, e.ShadowScore)));
        Assert.Equal((shadow.Checksum, "low_confidence", 0.25), read.Find(Id(second, 0)) is { } found ? (found.Shadow, found.ShadowReason, found.ShadowScore) : default);
    }

    /// <summary>What takes a database back to before format 6: the shadow model's columns.</summary>
    private const string DropShadow = " ALTER TABLE requests DROP COLUMN shadow; ALTER TABLE requests DROP COLUMN shadow_ref; ";

    private static void Execute(string db, string sql)
    {
        using var connection = new SqliteConnection($"Data Source={db};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static long Scalar(string db, string sql)
    {
        using var connection = new SqliteConnection($"Data Source={db};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (long)command.ExecuteScalar()!;
    }

    private static string Id(Guid first, int k) => ServedDecisionJson.Format(DecisionIds.Nth(first, k));

    private static AuditRequest Request(ServedModel served, Guid first, byte[] body, IReadOnlyList<string> records)
    {
        var router = served.Router;
        var parser = new DecisionRecordParser();
        var decisions = new AuditDecision[records.Count];
        var text = Encoding.UTF8.GetString(body);
        var from = 0;
        for (var k = 0; k < records.Count; k++)
        {
            var start = Encoding.UTF8.GetByteCount(text[..text.IndexOf(records[k], from, StringComparison.Ordinal)]);
            from = text.IndexOf(records[k], from, StringComparison.Ordinal) + records[k].Length;
            var d = router.Route(parser.Parse(Encoding.UTF8.GetBytes(records[k])));
            decisions[k] = new AuditDecision(d.Reason, d.Queue, d.Score, 1 - d.Score, start..(start + Encoding.UTF8.GetByteCount(records[k])), records.Count == 1 ? -1 : k);
        }

        return new AuditRequest(first, served, "test", Now.ToUnixTimeMilliseconds(), body, decisions, records.Count);
    }
}
