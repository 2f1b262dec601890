using System.Text;

namespace Lpp.Serving.Tests;

/// <summary>
/// The behaviour every <see cref="IAuditStore"/> promises, run against each implementation by a subclass that says
/// how to open one (<see cref="SqliteAuditStoreContractTests"/>, <see cref="PostgresAuditStoreContractTests"/>).
/// </summary>
public abstract class AuditStoreContract
{
    protected static readonly DateTimeOffset Now = new(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);

    /// <summary>Opens the store called <paramref name="name"/> for writing: new the first time, the same data when opened again.</summary>
    private protected abstract Task<IAuditStore> OpenAsync(string name);

    [Fact]
    public async Task AppendAsync_BatchAndSingleBodies_RecordsReadBackExactly()
    {
        // Given a store, a JSON Lines body of 100 records and one record alone
        var served = ServedModel.From(File.ReadAllBytes(ServeTestData.ModelA), Now);
        var records = ServeTestData.Records.Take(100).ToList();
        var body = Encoding.UTF8.GetBytes(string.Join("\r\n", records) + "\n");
        var batchFirst = DecisionIds.New(Now);
        var singleFirst = DecisionIds.New(Now.AddMilliseconds(1));

        // When both are appended, and decision 99 of the batch and the single one are reviewed
        await using (var store = await OpenAsync("append"))
        {
            await store.AppendAsync(Request(served, batchFirst, body, records));
            await store.AppendAsync(Request(served, singleFirst, Encoding.UTF8.GetBytes(records[7]), [records[7]]));
            Assert.Equal(ReviewStatus.Recorded, await store.ReviewAsync(new AuditReview(Id(batchFirst, 99), "True", "ann", "test", 1)));
            Assert.Equal(ReviewStatus.Recorded, await store.ReviewAsync(new AuditReview(Id(singleFirst, 0), "False", "ann", "test", 2)));
        }

        // Then, opened again, every record reads back byte for byte and the reviews come back in review order
        await using var read = await OpenAsync("append");
        for (var k = 0; k < records.Count; k++)
        {
            Assert.Equal(records[k], Encoding.UTF8.GetString(read.Find(Id(batchFirst, k))!.RecordJson));
        }

        Assert.Equal(records[7], Encoding.UTF8.GetString(read.Find(Id(singleFirst, 0))!.RecordJson));
        Assert.Equal([(records[99], "True"), (records[7], "False")], read.Reviewed().Select(e => (Encoding.UTF8.GetString(e.RecordJson), e.Verdict)));
    }

    [Fact]
    public async Task Ready_WhileOpen_FalseOnceClosed()
    {
        // Given an open store
        var store = await OpenAsync("ready");
        var readyWhileOpen = store.Ready;

        // When it is closed
        await store.DisposeAsync();

        // Then it was ready while open and is not afterwards
        Assert.True(readyWhileOpen);
        Assert.False(store.Ready);
    }

    [Fact]
    public async Task AppendAsync_AfterClose_Throws()
    {
        // Given a closed store
        var served = ServedModel.From(File.ReadAllBytes(ServeTestData.ModelA), Now);
        var store = await OpenAsync("closed");
        await store.DisposeAsync();

        // When a decision is appended, then it is refused rather than acknowledged
        await Assert.ThrowsAsync<InvalidOperationException>(async () => await store.AppendAsync(Request(served, DecisionIds.New(Now), Encoding.UTF8.GetBytes(ServeTestData.Records[0]), [ServeTestData.Records[0]])));
    }

    [Fact]
    public async Task Find_IdsAroundARequest_OnlyItsOwnDecisionsFound()
    {
        // Given a request of 3 decisions
        var served = ServedModel.From(File.ReadAllBytes(ServeTestData.ModelA), Now);
        var records = ServeTestData.Records.Take(3).ToList();
        var first = DecisionIds.New(Now);
        await using var store = await OpenAsync("find");
        await store.AppendAsync(Request(served, first, Encoding.UTF8.GetBytes(string.Join('\n', records)), records));

        // When ids inside, just past and far from it are looked up
        var inside = Enumerable.Range(0, 3).Select(k => store.Find(Id(first, k))).ToList();
        var past = store.Find(Id(first, 3));
        var other = store.Find(ServedDecisionJson.Format(DecisionIds.New(Now.AddDays(1))));
        var malformed = store.Find("not-an-id");

        // Then only the three are found, each with its own record id, the model's checksum and the creation time
        Assert.Equal(records.Select(r => System.Text.Json.Nodes.JsonNode.Parse(r)!["id"]!.GetValue<string>()), inside.Select(e => e!.RecordId));
        Assert.All(inside, e => Assert.Equal(served.Checksum, e!.Model));
        Assert.All(inside, e => Assert.Equal(Now.ToUnixTimeMilliseconds(), e!.CreatedMs));
        Assert.Null(past);
        Assert.Null(other);
        Assert.Null(malformed);
    }

    [Fact]
    public async Task ReviewAsync_PendingAutoAndUnknown_ClosesOnceAndCountsPending()
    {
        // Given a request with an escalated and a trusted decision
        var served = ServedModel.From(File.ReadAllBytes(ServeTestData.ModelA), Now);
        var first = DecisionIds.New(Now);
        var body = Encoding.UTF8.GetBytes(ServeTestData.Records[0] + "\n" + ServeTestData.Records[1]);
        AuditDecision[] decisions =
        [
            new(RoutingReason.LowConfidence, Queues.Review, 0.2, 0.8, 0..ServeTestData.Records[0].Length, 0),
            new(RoutingReason.Confident, Queues.Auto, 0.9, 0.1, (ServeTestData.Records[0].Length + 1)..body.Length, 1),
        ];
        await using var store = await OpenAsync("review");
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
    public async Task ReviewAsync_ConcurrentReviewsOfOneItem_ExactlyOneRecorded()
    {
        // Given one escalated decision
        var served = ServedModel.From(File.ReadAllBytes(ServeTestData.ModelA), Now);
        var first = DecisionIds.New(Now);
        var body = Encoding.UTF8.GetBytes(ServeTestData.Records[0]);
        await using var store = await OpenAsync("race");
        await store.AppendAsync(new AuditRequest(first, served, "test", Now.ToUnixTimeMilliseconds(), body, [new(RoutingReason.LowConfidence, Queues.Review, 0.2, 0.8, 0..body.Length, -1)], 1));

        // When 8 reviewers review it at once
        var statuses = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(async () => await store.ReviewAsync(new AuditReview(Id(first, 0), "True", $"r{i}", "test", i)))));

        // Then exactly one review is recorded and the others see it was reviewed before
        Assert.Single(statuses, s => s == ReviewStatus.Recorded);
        Assert.Equal(7, statuses.Count(s => s == ReviewStatus.AlreadyReviewed));
        Assert.Single(store.Reviewed());
    }

    [Fact]
    public async Task Open_AfterRestart_QueuesInReviewOrder()
    {
        // Given a store that took four escalations (two with the same cost) and a review of one, then closed
        var served = ServedModel.From(File.ReadAllBytes(ServeTestData.ModelA), Now);
        var first = DecisionIds.New(Now);
        var records = ServeTestData.Records.Take(4).Select(Encoding.UTF8.GetBytes).ToList();
        var body = records.SelectMany(r => r).ToArray();
        var starts = records.Select((r, k) => records.Take(k).Sum(x => x.Length)).ToList();
        var (scores, costs) = (new[] { 0.5, 0.1, 0.3, 0.2 }, new[] { 0.5, 0.9, 0.9, 0.8 });
        var decisions = Enumerable.Range(0, 4).Select(k => new AuditDecision(RoutingReason.LowConfidence, Queues.Review, scores[k], costs[k], starts[k]..(starts[k] + records[k].Length), k)).ToArray();
        await using (var store = await OpenAsync("restart"))
        {
            await store.AppendAsync(new AuditRequest(first, served, "test", Now.ToUnixTimeMilliseconds(), body, decisions, 4));
            Assert.Equal(ReviewStatus.Recorded, await store.ReviewAsync(new AuditReview(Id(first, 3), "True", "ann", "test", 1)));
        }

        // When it is opened again
        await using var reopened = await OpenAsync("restart");
        var queue = reopened.Pending(Queues.Review, 10);

        // Then the three unreviewed items are pending, most costly first, lowest score first where costs tie
        Assert.Equal(3, reopened.PendingCount(Queues.Review));
        Assert.Equal([Id(first, 1), Id(first, 2), Id(first, 0)], queue.Select(e => e.DecisionId));
        Assert.Equal([0.9, 0.9, 0.5], queue.Select(e => e.Cost));
    }

    protected static string Id(Guid first, int k) => ServedDecisionJson.Format(DecisionIds.Nth(first, k));

    private protected static AuditRequest Request(ServedModel served, Guid first, byte[] body, IReadOnlyList<string> records)
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
