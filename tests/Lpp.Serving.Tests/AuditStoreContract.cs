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

    /// <summary>The kind of store this suite runs against.</summary>
    private protected abstract AuditStoreKind Kind { get; }

    /// <summary>The database of the store called <paramref name="name"/> (a SQLite file or a PostgreSQL connection string), for <see cref="StoreFaults"/>.</summary>
    private protected abstract string Database(string name);

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
            Assert.Equal(ReviewStatus.Recorded, (await store.ReviewAsync(new AuditReview(Id(batchFirst, 99), "True", "ann", "test", 1))).Status);
            Assert.Equal(ReviewStatus.Recorded, (await store.ReviewAsync(new AuditReview(Id(singleFirst, 0), "False", "ann", "test", 2))).Status);
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

        // When both are reviewed, the escalated one again by another reviewer, again by the same with the same
        // verdict (a retry), and an unknown id once
        var escalated = await store.ReviewAsync(new AuditReview(Id(first, 0), "True", "ann", "key-a", 1));
        var other = await store.ReviewAsync(new AuditReview(Id(first, 0), "False", "bob", "key-b", 2));
        var retry = await store.ReviewAsync(new AuditReview(Id(first, 0), "True", "ann", "key-a", 3));
        var changed = await store.ReviewAsync(new AuditReview(Id(first, 0), "False", "ann", "key-a", 4));
        var trusted = await store.ReviewAsync(new AuditReview(Id(first, 1), "True", "ann", "key-a", 5));
        var unknown = await store.ReviewAsync(new AuditReview(Id(first, 2), "True", "ann", "key-a", 6));

        // Then the escalated item leaves its queue once; the retry gets the stored review, the others are refused
        // naming it; the spot check is recorded, the unknown id is not found
        Assert.Equal(1, pendingBefore);
        Assert.Equal(
            [ReviewStatus.Recorded, ReviewStatus.AlreadyReviewed, ReviewStatus.Repeated, ReviewStatus.AlreadyReviewed, ReviewStatus.Recorded, ReviewStatus.NotFound],
            [escalated.Status, other.Status, retry.Status, changed.Status, trusted.Status, unknown.Status]);
        Assert.All([other, retry, changed], o => Assert.Equal(new StoredReview("True", "ann", "key-a", 1), o.Stored));
        Assert.Equal(0, store.PendingCount(Queues.Review));
        Assert.Empty(store.Pending(Queues.Review, 10));
        var found = store.Find(Id(first, 0))!;
        Assert.Equal(new StoredReview("True", "ann", "key-a", 1), found.Review);
        Assert.Equal("test", found.Caller);
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
        var statuses = (await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(async () => await store.ReviewAsync(new AuditReview(Id(first, 0), "True", $"r{i}", "test", i)))))).Select(o => o.Status).ToList();

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
            Assert.Equal(ReviewStatus.Recorded, (await store.ReviewAsync(new AuditReview(Id(first, 3), "True", "ann", "test", 1))).Status);
        }

        // When it is opened again
        await using var reopened = await OpenAsync("restart");
        var queue = reopened.Pending(Queues.Review, 10);

        // Then the three unreviewed items are pending, most costly first, lowest score first where costs tie
        Assert.Equal(3, reopened.PendingCount(Queues.Review));
        Assert.Equal([Id(first, 1), Id(first, 2), Id(first, 0)], queue.Select(e => e.DecisionId));
        Assert.Equal([0.9, 0.9, 0.5], queue.Select(e => e.Cost));
    }

    [Fact]
    public async Task ClaimAsync_TwoReviewersAtOnce_NeverTheSameItem()
    {
        // Given 40 escalated decisions
        await using var store = await OpenAsync("claims");
        var first = await AppendEscalationsAsync(store, 40);

        // When 8 reviewers claim 5 each at once
        var claims = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(async () =>
            await store.ClaimAsync(new ClaimRequest(Queues.Review, $"r{i}", 5, NowMs, NowMs + 60_000)))));

        // Then the 40 items are handed out once each, each with its lease
        var handed = claims.SelectMany(c => c).ToList();
        Assert.Equal(40, handed.Count);
        Assert.Equal(40, handed.Select(c => c.Entry.DecisionId).Distinct().Count());
        Assert.All(handed, c => Assert.Equal(NowMs + 60_000, c.LeaseExpiresMs));
        Assert.Equal(Enumerable.Range(0, 40).Select(k => Id(first, k)).Order(StringComparer.Ordinal), handed.Select(c => c.Entry.DecisionId).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task ClaimAsync_LeaseExpired_ItemReturnsToTheQueue()
    {
        // Given 3 escalations (costs 0.9, 0.8, 0.7: that order) all claimed by ann for 60 s
        await using var store = await OpenAsync("expiry");
        var first = await AppendEscalationsAsync(store, 3);
        var ann = await store.ClaimAsync(new ClaimRequest(Queues.Review, "ann", 10, NowMs, NowMs + 60_000));

        // When bob claims while the leases live, ann claims again, and bob claims once they expired
        var bobEarly = await store.ClaimAsync(new ClaimRequest(Queues.Review, "bob", 10, NowMs + 59_999, NowMs + 120_000));
        var annAgain = await store.ClaimAsync(new ClaimRequest(Queues.Review, "ann", 10, NowMs + 1_000, NowMs + 61_000));
        var bobLate = await store.ClaimAsync(new ClaimRequest(Queues.Review, "bob", 2, NowMs + 61_000, NowMs + 121_000));

        // Then ann had all three in review order, bob none while they were leased, ann's renewal gave them back to
        // her, and once expired bob gets the first two
        Assert.Equal([Id(first, 0), Id(first, 1), Id(first, 2)], ann.Select(c => c.Entry.DecisionId));
        Assert.Empty(bobEarly);
        Assert.Equal(3, annAgain.Count);
        Assert.Equal([Id(first, 0), Id(first, 1)], bobLate.Select(c => c.Entry.DecisionId));
    }

    [Fact]
    public async Task ReviewAsync_ItemLeasedToAnother_RefusedUntilTheLeaseExpires()
    {
        // Given an escalation claimed by ann until NowMs + 60 s
        await using var store = await OpenAsync("leased");
        var first = await AppendEscalationsAsync(store, 1);
        await store.ClaimAsync(new ClaimRequest(Queues.Review, "ann", 1, NowMs, NowMs + 60_000));

        // When bob reviews it during the lease, then after it
        var during = await store.ReviewAsync(new AuditReview(Id(first, 0), "True", "bob", "key-b", NowMs + 30_000));
        var after = await store.ReviewAsync(new AuditReview(Id(first, 0), "True", "bob", "key-b", NowMs + 60_000));

        // Then the first is refused naming ann and her lease, the second recorded
        Assert.Equal(new ReviewOutcome(ReviewStatus.LeasedToOther, null, "ann", NowMs + 60_000), during);
        Assert.Equal(ReviewStatus.Recorded, after.Status);
    }

    [Fact]
    public async Task ReviewAsync_ByTheLeaseHolder_Recorded()
    {
        // Given an escalation claimed by ann
        await using var store = await OpenAsync("holder");
        var first = await AppendEscalationsAsync(store, 1);
        await store.ClaimAsync(new ClaimRequest(Queues.Review, "ann", 1, NowMs, NowMs + 60_000));

        // When ann reviews it within her lease, then it is recorded and leaves the queue
        Assert.Equal(ReviewStatus.Recorded, (await store.ReviewAsync(new AuditReview(Id(first, 0), "False", "ann", "key-a", NowMs + 1))).Status);
        Assert.Equal(0, store.PendingCount(Queues.Review));
        Assert.Empty(await store.ClaimAsync(new ClaimRequest(Queues.Review, "bob", 1, NowMs + 2, NowMs + 60_000)));
    }

    [Fact]
    public async Task Decisions_TimeWindow_InCreationOrderWithReviews()
    {
        // Given three requests a second apart (the middle one a batch of two), one decision reviewed
        var served = ServedModel.From(File.ReadAllBytes(ServeTestData.ModelA), Now);
        var records = ServeTestData.Records.Take(4).ToList();
        await using var store = await OpenAsync("decisions");
        var ids = new List<Guid>();
        for (var r = 0; r < 3; r++)
        {
            var at = Now.AddSeconds(r);
            var chosen = r == 1 ? records.Skip(1).Take(2).ToList() : [records[r == 0 ? 0 : 3]];
            var first = DecisionIds.New(at);
            ids.Add(first);
            await store.AppendAsync(Request(served, first, Encoding.UTF8.GetBytes(string.Join('\n', chosen)), chosen) with { CreatedMs = at.ToUnixTimeMilliseconds() });
        }

        await store.ReviewAsync(new AuditReview(Id(ids[1], 1), "True", "ann", "key-a", 7));

        // When all decisions, and those from second 1 up to (not including) second 2, are listed
        var all = store.Decisions(null, null).ToList();
        var window = store.Decisions(Now.AddSeconds(1).ToUnixTimeMilliseconds(), Now.AddSeconds(2).ToUnixTimeMilliseconds()).ToList();

        // Then all four come in creation order with their records and the one review; the window holds the batch
        Assert.Equal([Id(ids[0], 0), Id(ids[1], 0), Id(ids[1], 1), Id(ids[2], 0)], all.Select(e => e.DecisionId));
        Assert.Equal([records[0], records[1], records[2], records[3]], all.Select(e => Encoding.UTF8.GetString(e.RecordJson)));
        Assert.Equal([null, null, "True", null], all.Select(e => e.Verdict));
        Assert.Equal([0, 1], window.Select(e => e.Index));
        Assert.Equal([Id(ids[1], 0), Id(ids[1], 1)], window.Select(e => e.DecisionId));
    }

    [Fact]
    public async Task ModelFile_StoredWithTheFirstDecision_ReadBackByChecksum()
    {
        // Given a decision by model A
        var served = ServedModel.From(File.ReadAllBytes(ServeTestData.ModelA), Now);
        await using var store = await OpenAsync("models");
        await store.AppendAsync(Request(served, DecisionIds.New(Now), Encoding.UTF8.GetBytes(ServeTestData.Records[0]), [ServeTestData.Records[0]]));

        // When its model file is asked for, and an unknown one, then the first is the file as served, the second null
        Assert.Equal(File.ReadAllBytes(ServeTestData.ModelA), store.ModelFile(served.Checksum));
        Assert.Null(store.ModelFile("sha256:0000"));
    }

    [Fact]
    public async Task PublishModelAsync_TwoModels_LatestReleaseIsTheLastPublishedAndSurvivesReopening()
    {
        // Given a store with no release, and models A and B
        var a = ServedModel.From(File.ReadAllBytes(ServeTestData.ModelA), Now);
        var b = ServedModel.From(ServeTestData.ModelBBytes, Now);
        long first, second, third;
        await using (var store = await OpenAsync("releases"))
        {
            Assert.Null(store.CurrentModel());

            // When A, then B, then A again are published
            first = await store.PublishModelAsync(a, NowMs);
            second = await store.PublishModelAsync(b, NowMs + 1);
            Assert.Equal(new ModelRelease(second, b.Checksum), store.CurrentModel());
            third = await store.PublishModelAsync(a, NowMs + 2);
        }

        // Then each release has a larger number, the latest is A's, and both files are stored byte for byte
        await using var read = await OpenAsync("releases");
        Assert.True(first < second && second < third, $"releases {first}, {second}, {third}");
        Assert.Equal(new ModelRelease(third, a.Checksum), read.CurrentModel());
        Assert.Equal(a.FileBytes, read.ModelFile(a.Checksum));
        Assert.Equal(b.FileBytes, read.ModelFile(b.Checksum));
    }

    [Fact]
    public async Task AppendAsync_ShadowScores_ReadBackByEveryReadAndTheShadowFileStored()
    {
        // Given two escalations, the first scored by shadow model B (trust at 0.875), the second not scorable by it,
        // and a request without a shadow
        var served = ServedModel.From(File.ReadAllBytes(ServeTestData.ModelA), Now);
        var shadow = ServedModel.From(ServeTestData.ModelBBytes, Now);
        await using var store = await OpenAsync("shadow");
        var first = DecisionIds.New(Now);
        var record = Encoding.UTF8.GetBytes(ServeTestData.Records[0]);
        AuditDecision[] decisions =
        [
            new(RoutingReason.LowConfidence, Queues.Review, 0.2, 0.8, 0..record.Length, 0, false, RoutingReason.Confident, 0.875),
            new(RoutingReason.LowConfidence, Queues.Review, 0.3, 0.7, 0..record.Length, 1, false, null, double.NaN),
        ];
        await store.AppendAsync(new AuditRequest(first, served, "test", NowMs, record, decisions, 2, 0, shadow));
        var plain = DecisionIds.New(Now.AddSeconds(1));
        await store.AppendAsync(Request(served, plain, record, [ServeTestData.Records[0]]));

        // When they are read every way the store reads decisions, after the first is reviewed
        var pending = store.Pending(Queues.Review, 10);
        var claimed = await store.ClaimAsync(new ClaimRequest(Queues.Review, "ann", 10, NowMs, NowMs + 60_000));
        await store.ReviewAsync(new AuditReview(Id(first, 0), "True", "ann", "key-a", NowMs + 1));
        var found = store.Find(Id(first, 0))!;
        var reviewed = Assert.Single(store.Reviewed());
        var all = store.Decisions(null, null).ToList();

        // Then each carries the shadow's checksum, reason and score as stored (none for the request without a shadow),
        // the review beside them, and the shadow's model file is stored for rebuilding
        var first0 = (shadow.Checksum, "confident", 0.875);
        var first1 = (shadow.Checksum, (string?)null, double.NaN);
        static (string?, string?, double) Of(AuditEntry e) => (e.Shadow, e.ShadowReason, e.ShadowScore);
        string[] shadowed = [Id(first, 0), Id(first, 1)];
        Assert.Equal([first0, first1], pending.Where(e => shadowed.Contains(e.DecisionId)).Select(Of));
        Assert.Equal([first0, first1], claimed.Where(c => shadowed.Contains(c.Entry.DecisionId)).Select(c => Of(c.Entry)));
        Assert.Equal(first0, Of(found));
        Assert.Equal("True", found.Verdict);
        Assert.Equal(first0, Of(reviewed));
        Assert.Equal([first0, first1, (null, null, double.NaN)], all.Select(Of));
        Assert.Equal(["True", null, null], all.Select(e => e.Verdict));
        Assert.Equal(shadow.FileBytes, store.ModelFile(shadow.Checksum));
    }

    [Fact]
    public async Task AppendAsync_OneRequestRefusedInAGroupCommit_OnlyItFails()
    {
        // Given a store whose database refuses request rows holding a poisoned record
        var served = ServedModel.From(File.ReadAllBytes(ServeTestData.ModelA), Now);
        await using var store = await OpenAsync("poison");
        StoreFaults.Refuse(Kind, Database("poison"), StoreFaults.Refusal.PoisonedRequests);
        string[] records = [ServeTestData.Records[0], StoreFaults.Poisoned(ServeTestData.Records[1]), ServeTestData.Records[2], ServeTestData.Records[3]];
        var ids = records.Select(_ => DecisionIds.New(Now)).ToList();

        // When a good request, the poisoned one and two more good ones are appended while the writer is held (so
        // the poisoned one shares a group commit with at least one good one), then the writer is released
        Task[] writes;
        using (StoreFaults.HoldWrites(Kind, Database("poison")))
        {
            writes = [.. records.Select((r, i) => store.AppendAsync(Request(served, ids[i], Encoding.UTF8.GetBytes(r), [r])).AsTask())];
        }

        // Then only the poisoned one failed, the others are stored, and the store stays ready
        Assert.Equal(["stored", "failed", "stored", "stored"], await OutcomesAsync(writes));
        Assert.Equal([true, false, true, true], ids.Select(id => store.Find(Id(id, 0)) is not null));
        Assert.True(store.Ready);
    }

    [Fact]
    public async Task ReviewAsync_ReviewsRefused_DecisionsStoredAndTheStoreStaysReady()
    {
        // Given a store with two escalations whose database refuses every review row
        var served = ServedModel.From(File.ReadAllBytes(ServeTestData.ModelA), Now);
        await using var store = await OpenAsync("reviews");
        var escalated = await AppendEscalationsAsync(store, 2);
        StoreFaults.Refuse(Kind, Database("reviews"), StoreFaults.Refusal.Reviews);
        var decided = new[] { DecisionIds.New(Now), DecisionIds.New(Now) };
        var record = ServeTestData.Records[5];

        // When a decision, both reviews and another decision are written together (writer held), then four reviews
        // one at a time (more than the failures in a row that make a store unready)
        Task[] together;
        using (StoreFaults.HoldWrites(Kind, Database("reviews")))
        {
            together =
            [
                store.AppendAsync(Request(served, decided[0], Encoding.UTF8.GetBytes(record), [record])).AsTask(),
                store.ReviewAsync(new AuditReview(Id(escalated, 0), "True", "ann", "key-a", NowMs)).AsTask(),
                store.ReviewAsync(new AuditReview(Id(escalated, 1), "True", "ann", "key-a", NowMs)).AsTask(),
                store.AppendAsync(Request(served, decided[1], Encoding.UTF8.GetBytes(record), [record])).AsTask(),
            ];
        }

        var outcomes = await OutcomesAsync(together);
        var alone = new List<(string Outcome, bool Ready)>();
        for (var i = 0; i < 4; i++)
        {
            alone.Add(((await OutcomesAsync([store.ReviewAsync(new AuditReview(Id(escalated, i % 2), "True", "ann", "key-a", NowMs + i)).AsTask()]))[0], store.Ready));
        }

        // Then both decisions are stored and every review failed, and the store was ready throughout
        Assert.Equal(["stored", "failed", "failed", "stored"], outcomes);
        Assert.All(decided, id => Assert.NotNull(store.Find(Id(id, 0))));
        Assert.Equal(Enumerable.Repeat(("failed", true), 4), alone);
        Assert.All([0, 1], k => Assert.Null(store.Find(Id(escalated, k))!.Review));
    }

    [Fact]
    public async Task AppendAsync_EveryRequestRefused_NotReadyAfterThreeUntilOneCanBeStored()
    {
        // Given a store whose database refuses every request row (it still commits other rows)
        var served = ServedModel.From(File.ReadAllBytes(ServeTestData.ModelA), Now);
        await using var store = await OpenAsync("refused");
        StoreFaults.Refuse(Kind, Database("refused"), StoreFaults.Refusal.Requests);
        var record = ServeTestData.Records[0];

        // When three decisions are appended one at a time
        var tried = new List<(string Outcome, bool Ready)>();
        for (var i = 0; i < 3; i++)
        {
            tried.Add(((await OutcomesAsync([store.AppendAsync(Request(served, DecisionIds.New(Now), Encoding.UTF8.GetBytes(record), [record])).AsTask()]))[0], store.Ready));
        }

        // Then each failed and the store was ready until the third failure; probe commits, which write a request row
        // too, do not make it ready while that is refused (bounded polling until two were tried)
        Assert.Equal([("failed", true), ("failed", true), ("failed", false)], tried);
        await PollAsync(() => ProbesTried(store) >= 2 || store.Ready);
        Assert.False(store.Ready);

        // When request rows are taken again, then without any decision a probe makes it ready, and a decision is stored
        StoreFaults.Allow(Kind, Database("refused"));
        await PollAsync(() => store.Ready);
        var id = DecisionIds.New(Now);
        await store.AppendAsync(Request(served, id, Encoding.UTF8.GetBytes(record), [record]));
        Assert.NotNull(store.Find(Id(id, 0)));
    }

    private static long NowMs => Now.ToUnixTimeMilliseconds();

    /// <summary>"stored" or "failed" (the store's failure, as the endpoints map it to 503) for each write, in order.</summary>
    private static async Task<string[]> OutcomesAsync(IEnumerable<Task> writes) =>
        await Task.WhenAll(writes.Select(async write =>
        {
            try
            {
                await write;
                return "stored";
            }
            catch (Exception e) when (e is Microsoft.Data.Sqlite.SqliteException or Npgsql.NpgsqlException or InvalidOperationException)
            {
                return "failed";
            }
        }));

    private static long ProbesTried(IAuditStore store) => store switch
    {
        SqliteAuditStore sqlite => sqlite.ProbesTried,
        PostgresAuditStore postgres => postgres.ProbesTried,
        _ => throw new ArgumentException("an unknown store", nameof(store)),
    };

    /// <summary>Polls every 20 ms until <paramref name="condition"/> holds; fails after 60 s.</summary>
    private static async Task PollAsync(Func<bool> condition)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), "the condition did not hold within 60 s");
            await Task.Delay(20, TestContext.Current.CancellationToken);
        }
    }

    /// <summary>Appends <paramref name="count"/> escalations to the review queue in one request, costs falling with k (so review order is k order).</summary>
    private static async Task<Guid> AppendEscalationsAsync(IAuditStore store, int count)
    {
        var served = ServedModel.From(File.ReadAllBytes(ServeTestData.ModelA), Now);
        var first = DecisionIds.New(Now);
        var records = Enumerable.Range(0, count).Select(k => Encoding.UTF8.GetBytes(ServeTestData.Records[k % ServeTestData.Records.Count])).ToList();
        var body = records.SelectMany(r => r).ToArray();
        var start = 0;
        var decisions = new AuditDecision[count];
        for (var k = 0; k < count; k++)
        {
            decisions[k] = new AuditDecision(RoutingReason.LowConfidence, Queues.Review, 0.1, 0.9 - (k * 0.001), start..(start + records[k].Length), k);
            start += records[k].Length;
        }

        await store.AppendAsync(new AuditRequest(first, served, "test", NowMs, body, decisions, count));
        return first;
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
