using System.Text;
using Microsoft.Data.Sqlite;

namespace Lpp.Cli.Tests;

public sealed class SqliteAuditStoreTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);

    [Fact]
    public async Task AppendAsync_BatchAndSingleBodies_RecordsReadBackExactly()
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
            Assert.Equal(ReviewStatus.Recorded, await store.ReviewAsync(new AuditReview(Id(batchFirst, 99), "True", "ann", "test", 1)));
            Assert.Equal(ReviewStatus.Recorded, await store.ReviewAsync(new AuditReview(Id(singleFirst, 0), "False", "ann", "test", 2)));
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
    public async Task Ready_WhileTheWriterRuns_FalseOnceClosed()
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
    public async Task Find_IdsAroundARequest_OnlyItsOwnDecisionsFound()
    {
        // Given a request of 3 decisions
        using var dir = new TempDir();
        var served = ServedModel.From(File.ReadAllBytes(ServeTestData.ModelA), Now);
        var records = ServeTestData.Records.Take(3).ToList();
        var first = DecisionIds.New(Now);
        await using var store = SqliteAuditStore.Open(dir.File("audit.db"));
        await store.AppendAsync(Request(served, first, Encoding.UTF8.GetBytes(string.Join('\n', records)), records));

        // When ids inside, just past and far from it are looked up
        var inside = Enumerable.Range(0, 3).Select(k => store.Find(Id(first, k))).ToList();
        var past = store.Find(Id(first, 3));
        var other = store.Find(ServedDecisionJson.Format(DecisionIds.New(Now.AddDays(1))));
        var malformed = store.Find("not-an-id");

        // Then only the three are found, each with its own record id and the model's checksum
        Assert.Equal(records.Select(r => System.Text.Json.Nodes.JsonNode.Parse(r)!["id"]!.GetValue<string>()), inside.Select(e => e!.RecordId));
        Assert.All(inside, e => Assert.Equal(served.Checksum, e!.Model));
        Assert.Null(past);
        Assert.Null(other);
        Assert.Null(malformed);
    }

    [Fact]
    public async Task ReviewAsync_PendingAutoAndUnknown_ClosesOnceAndCountsPending()
    {
        // Given a request with an escalated and a trusted decision
        using var dir = new TempDir();
        var served = ServedModel.From(File.ReadAllBytes(ServeTestData.ModelA), Now);
        var first = DecisionIds.New(Now);
        var body = Encoding.UTF8.GetBytes(ServeTestData.Records[0] + "\n" + ServeTestData.Records[1]);
        AuditDecision[] decisions =
        [
            new(RoutingReason.LowConfidence, Queues.Review, 0.2, 0.8, 0..ServeTestData.Records[0].Length, 0),
            new(RoutingReason.Confident, Queues.Auto, 0.9, 0.1, (ServeTestData.Records[0].Length + 1)..body.Length, 1),
        ];
        await using var store = SqliteAuditStore.Open(dir.File("audit.db"));
        await store.AppendAsync(new AuditRequest(first, served, "test", Now.ToUnixTimeMilliseconds(), body, decisions, 2));
        var pendingBefore = store.PendingCount(Queues.Review);

        // When both are reviewed, the escalated one twice, and an unknown id once
        var escalated = await store.ReviewAsync(new AuditReview(Id(first, 0), "True", "ann", "test", 1));
        var twice = await store.ReviewAsync(new AuditReview(Id(first, 0), "False", "bob", "test", 2));
        var trusted = await store.ReviewAsync(new AuditReview(Id(first, 1), "True", "ann", "test", 3));
        var unknown = await store.ReviewAsync(new AuditReview(Id(first, 2), "True", "ann", "test", 4));

        // Then the escalated item leaves its queue once, the spot check is recorded, the unknown id is not found
        Assert.Equal(1, pendingBefore);
        Assert.Equal([ReviewStatus.Recorded, ReviewStatus.AlreadyReviewed, ReviewStatus.Recorded, ReviewStatus.NotFound], [escalated, twice, trusted, unknown]);
        Assert.Equal(0, store.PendingCount(Queues.Review));
        Assert.Empty(store.Pending(Queues.Review, 10));
        Assert.Equal("True", store.Find(Id(first, 0))!.Verdict);
    }

    [Fact]
    public async Task Open_AfterRestart_QueuesReloadedInReviewOrder()
    {
        // Given a store that took four escalations (two with the same cost) and a review of one, then closed
        using var dir = new TempDir();
        var db = dir.File("audit.db");
        var served = ServedModel.From(File.ReadAllBytes(ServeTestData.ModelA), Now);
        var first = DecisionIds.New(Now);
        var records = ServeTestData.Records.Take(4).Select(Encoding.UTF8.GetBytes).ToList();
        var body = records.SelectMany(r => r).ToArray();
        var starts = records.Select((r, k) => records.Take(k).Sum(x => x.Length)).ToList();
        var (scores, costs) = (new[] { 0.5, 0.1, 0.3, 0.2 }, new[] { 0.5, 0.9, 0.9, 0.8 });
        var decisions = Enumerable.Range(0, 4).Select(k => new AuditDecision(RoutingReason.LowConfidence, Queues.Review, scores[k], costs[k], starts[k]..(starts[k] + records[k].Length), k)).ToArray();
        await using (var store = SqliteAuditStore.Open(db))
        {
            await store.AppendAsync(new AuditRequest(first, served, "test", Now.ToUnixTimeMilliseconds(), body, decisions, 4));
            Assert.Equal(ReviewStatus.Recorded, await store.ReviewAsync(new AuditReview(Id(first, 3), "True", "ann", "test", 1)));
        }

        // When it is opened again
        await using var reopened = SqliteAuditStore.Open(db);
        var queue = reopened.Pending(Queues.Review, 10);

        // Then the three unreviewed items are pending, most costly first, lowest score first where costs tie
        Assert.Equal(3, reopened.PendingCount(Queues.Review));
        Assert.Equal([Id(first, 1), Id(first, 2), Id(first, 0)], queue.Select(e => e.DecisionId));
        Assert.Equal([0.9, 0.9, 0.5], queue.Select(e => e.Cost));
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
        var write = Assert.Throws<CliException>(() => SqliteAuditStore.Open(db));
        var export = Assert.Throws<CliException>(() => SqliteAuditStore.OpenReadOnly(db));

        // Then both are refused, naming the format and what to do
        Assert.All([write, export], e => Assert.Contains("format 1", e.Message, StringComparison.Ordinal));
        Assert.Contains("new --db", write.Message, StringComparison.Ordinal);
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
