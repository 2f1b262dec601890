using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Lpp.Serving.Tests;

/// <summary>Integration tests: the real server on a loopback port, driven by a real HttpClient.</summary>
public sealed class LppServerTests
{
    private static readonly DateTimeOffset Epoch = new(2025, 6, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Route_SameRecordsAsLppRoute_SameDecisions()
    {
        // Given a server and lpp route with the same model and records
        await using var host = await ServeHost.StartAsync();
        using var client = ServeTestData.Client(host.Url);
        var routed = host.Dir.File("decisions.jsonl");
        var run = LppProcess.Run("route", "--model", host.ModelPath, "--input", ServeTestData.RecordsFile, "--output", routed);
        Assert.Equal(0, run.ExitCode);
        var expected = File.ReadAllLines(routed);

        // When each record is routed alone, then all as a JSON array and as JSON Lines
        var single = new List<JsonObject>();
        foreach (var record in ServeTestData.Records)
        {
            using var response = await client.PostAsync("/v1/route", ServeTestData.Json(record), TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            single.Add(JsonNode.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken))!.AsObject());
        }

        var array = await PostBatchAsync(client, "[" + string.Join(",\n", ServeTestData.Records) + "]");
        var lines = await PostBatchAsync(client, string.Join("\r\n", ServeTestData.Records) + "\n\n");

        // Then every decision equals lpp route's line apart from decision_id, model (the checksum) and index
        Assert.Equal(expected.Length, single.Count);
        foreach (var decisions in new[] { single, Decisions(array), Decisions(lines) })
        {
            Assert.Equal(expected.Length, decisions.Count);
            for (var i = 0; i < expected.Length; i++)
            {
                var decision = decisions[i];
                Assert.Equal(host.Server.Model.Checksum, decision["model"]!.GetValue<string>());
                Assert.Equal(32, decision["decision_id"]!.GetValue<string>().Length);
                decision.Remove("decision_id");
                decision.Remove("model");
                decision.Remove("index");
                Assert.Equal(expected[i], decision.ToJsonString());
            }
        }

        Assert.Contains(single, d => d["queue"]!.GetValue<string>() == "senior_review");
        Assert.Contains(single, d => d["queue"]!.GetValue<string>() == "policy_review");
        Assert.Contains(single, d => d["reason"]!.GetValue<string>() == "invalid_output");
    }

    [Fact]
    public async Task Route_EveryDecision_IsInTheAuditLogBeforeTheAnswer()
    {
        // Given a server
        await using var host = await ServeHost.StartAsync();
        using var client = ServeTestData.Client(host.Url);

        // When 100 records are routed concurrently
        var ids = await Task.WhenAll(ServeTestData.Records.Take(100).Select(async record =>
        {
            using var response = await client.PostAsync("/v1/route", ServeTestData.Json(record), TestContext.Current.CancellationToken);
            return JsonNode.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken))!["decision_id"]!.GetValue<string>();
        }));

        // Then each answered decision id is already stored, with the record as received
        foreach (var id in ids)
        {
            Assert.NotNull(host.Store.Find(id));
        }

        Assert.Equal(ServeTestData.Records[0], Encoding.UTF8.GetString(host.Store.Find(ids[0])!.RecordJson));
    }

    [Fact]
    public async Task Auth_MissingUnknownOrUnscopedKey_401Or403()
    {
        // Given a server with an API keys file
        await using var host = await ServeHost.StartAsync(o => o with { ApiKeysPath = ServeTestData.KeysFile });
        using var anonymous = ServeTestData.Client(host.Url);
        using var stranger = ServeTestData.Client(host.Url, "not-a-key");
        using var router = ServeTestData.Client(host.Url, ServeTestData.RouteKey);
        using var reviewer = ServeTestData.Client(host.Url, ServeTestData.ReviewKey);
        var record = ServeTestData.Records[0];
        var ct = TestContext.Current.CancellationToken;

        // When calls come without a key, with an unknown key, with the wrong scope and with the right one
        using var none = await anonymous.PostAsync("/v1/route", ServeTestData.Json(record), ct);
        using var unknown = await stranger.PostAsync("/v1/route", ServeTestData.Json(record), ct);
        using var reviewerRoutes = await reviewer.PostAsync("/v1/route", ServeTestData.Json(record), ct);
        using var routerReadsQueue = await router.GetAsync("/v1/queues/review", ct);
        using var routerReplacesModel = await router.PostAsync("/v1/admin/model", new ByteArrayContent(ServeTestData.ModelBBytes), ct);
        using var allowed = await router.PostAsync("/v1/route", ServeTestData.Json(record), ct);
        using var health = await anonymous.GetAsync("/healthz", ct);

        // Then 401 with a Bearer challenge, 403 for a missing scope, 200 with the scope; health needs no key
        Assert.Equal(HttpStatusCode.Unauthorized, none.StatusCode);
        Assert.Equal("Bearer", none.Headers.WwwAuthenticate.Single().Scheme);
        Assert.Equal(HttpStatusCode.Unauthorized, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, reviewerRoutes.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, routerReadsQueue.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, routerReplacesModel.StatusCode);
        Assert.Contains("lacks the admin scope", await routerReplacesModel.Content.ReadAsStringAsync(ct), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }

    [Fact]
    public async Task Route_BodyOverTheLimit_413()
    {
        // Given a server taking bodies up to 4 KiB and batches up to 5 records
        await using var host = await ServeHost.StartAsync(o => o with { MaxBodyBytes = 4096, MaxBatchRecords = 5 });
        using var client = ServeTestData.Client(host.Url);
        var ct = TestContext.Current.CancellationToken;
        var big = "{\"id\": \"x\", \"pad\": \"" + new string('a', 5000) + "\"}";

        // When a 5 KB body is sent with a length, the same chunked, and a batch of 6 small records
        using var sized = await client.PostAsync("/v1/route", ServeTestData.Json(big), ct);
        using var chunkedContent = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(big))) { Headers = { ContentType = new("application/json") } };
        using var chunkedRequest = new HttpRequestMessage(HttpMethod.Post, "/v1/route") { Content = chunkedContent };
        chunkedRequest.Headers.TransferEncodingChunked = true;
        using var chunked = await client.SendAsync(chunkedRequest, ct);
        var six = string.Join('\n', Enumerable.Range(0, 6).Select(i => "{\"id\": \"r" + i + "\", \"labels\": [\"0\"]}"));
        using var batch = await client.PostAsync("/v1/route/batch", ServeTestData.Json(six), ct);

        // Then each is refused with 413 and problem details
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, sized.StatusCode);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, chunked.StatusCode);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, batch.StatusCode);
        Assert.Equal("application/problem+json", sized.Content.Headers.ContentType!.MediaType);
        Assert.Contains("at most 5", await batch.Content.ReadAsStringAsync(ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Route_OverTheRateLimit_429WithRetryAfterUntilTimePasses()
    {
        // Given 2 requests per second per key with a burst of 2, on a clock that moves only when told
        var clock = new ManualTimeProvider(Epoch);
        await using var host = await ServeHost.StartAsync(o => o with { ApiKeysPath = ServeTestData.KeysFile, RateLimit = 2, RateBurst = 2 }, clock);
        using var router = ServeTestData.Client(host.Url, ServeTestData.RouteKey);
        using var admin = ServeTestData.Client(host.Url, ServeTestData.AdminKey);
        var ct = TestContext.Current.CancellationToken;
        var record = ServeTestData.Records[0];

        // When the router key sends 3 requests at once, another key sends one, and then half a second passes
        using var first = await router.PostAsync("/v1/route", ServeTestData.Json(record), ct);
        using var second = await router.PostAsync("/v1/route", ServeTestData.Json(record), ct);
        using var third = await router.PostAsync("/v1/route", ServeTestData.Json(record), ct);
        using var otherKey = await admin.PostAsync("/v1/route", ServeTestData.Json(record), ct);
        clock.Advance(TimeSpan.FromMilliseconds(500));
        using var later = await router.PostAsync("/v1/route", ServeTestData.Json(record), ct);

        // Then the third is refused with 429 and Retry-After 1, the other key is unaffected, and a token is back
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal((HttpStatusCode)429, third.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(1), third.Headers.RetryAfter!.Delta);
        Assert.Equal(HttpStatusCode.OK, otherKey.StatusCode);
        Assert.Equal(HttpStatusCode.OK, later.StatusCode);
    }

    [Fact]
    public async Task RouteBatch_RateLimit_CountsRecordsNotRequests()
    {
        // Given 10 records per second per key with a burst of 10, on a clock that moves only when told
        var clock = new ManualTimeProvider(Epoch);
        await using var host = await ServeHost.StartAsync(o => o with { ApiKeysPath = ServeTestData.KeysFile, RateLimit = 10, RateBurst = 10 }, clock);
        using var router = ServeTestData.Client(host.Url, ServeTestData.RouteKey);
        var ct = TestContext.Current.CancellationToken;
        string Batch(int n) => string.Join('\n', ServeTestData.Records.Take(n));

        // When the key sends a batch of 8 records, then one of 3; then after 1 s one of 25 (more than the burst),
        // then after another 1 s a single record, and after 1.5 s more another
        using var eight = await router.PostAsync("/v1/route/batch", ServeTestData.Json(Batch(8)), ct);
        using var three = await router.PostAsync("/v1/route/batch", ServeTestData.Json(Batch(3)), ct);
        clock.Advance(TimeSpan.FromSeconds(1));
        using var large = await router.PostAsync("/v1/route/batch", ServeTestData.Json(Batch(25)), ct);
        clock.Advance(TimeSpan.FromSeconds(1));
        using var inDebt = await router.PostAsync("/v1/route", ServeTestData.Json(ServeTestData.Records[0]), ct);
        clock.Advance(TimeSpan.FromSeconds(1.5));
        using var repaid = await router.PostAsync("/v1/route", ServeTestData.Json(ServeTestData.Records[0]), ct);

        // Then 8 pass and 3 more do not (2 tokens left: retry after 1 s); a full bucket admits the 25 and leaves a
        // debt of 15 (by hand: 10 - 25), so 1 s later (-5 tokens) a single record waits 0.6 s (rounded up to 1), and
        // 1.5 s after that (+15: 10 tokens, the burst) it passes
        Assert.Equal(HttpStatusCode.OK, eight.StatusCode);
        Assert.Equal((HttpStatusCode)429, three.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(1), three.Headers.RetryAfter!.Delta);
        Assert.Contains("(3 records)", await three.Content.ReadAsStringAsync(ct), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, large.StatusCode);
        Assert.Equal((HttpStatusCode)429, inDebt.StatusCode);
        Assert.Equal(HttpStatusCode.OK, repaid.StatusCode);
    }

    [Fact]
    public async Task Route_OverTheRateLimit_ProblemNamesTheKeyAndTheWaitRoundedUp()
    {
        // Given 1 request per second per key with a burst of 2, on a clock that moves only when told
        var clock = new ManualTimeProvider(Epoch);
        await using var host = await ServeHost.StartAsync(o => o with { ApiKeysPath = ServeTestData.KeysFile, RateLimit = 1, RateBurst = 2 }, clock, modelFile: ServeTestData.HandModel);
        using var router = ServeTestData.Client(host.Url, ServeTestData.RouteKey);
        var ct = TestContext.Current.CancellationToken;
        var record = ServeTestData.HandRecords[0];

        // When the key sends 3 requests at once; then, 2 s later (a full bucket), a batch of 5 records and one more request
        using var first = await router.PostAsync("/v1/route", ServeTestData.Json(record), ct);
        using var second = await router.PostAsync("/v1/route", ServeTestData.Json(record), ct);
        using var third = await router.PostAsync("/v1/route", ServeTestData.Json(record), ct);
        clock.Advance(TimeSpan.FromSeconds(2));
        using var batch = await router.PostAsync("/v1/route/batch", ServeTestData.Json(string.Join('\n', Enumerable.Repeat(record, 5))), ct);
        using var inDebt = await router.PostAsync("/v1/route", ServeTestData.Json(record), ct);

        // Then the third waits for one token, 1 s; the batch takes the full bucket and leaves a debt of 3 (2 - 5), so the
        // next request waits for 4 tokens at 1 a second: 4 s. Each 429 names the key and the wait, not a record count.
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal(HttpStatusCode.OK, batch.StatusCode);
        foreach (var (response, seconds) in new[] { (third, 1), (inDebt, 4) })
        {
            var text = await response.Content.ReadAsStringAsync(ct);
            Assert.True(response.StatusCode == (HttpStatusCode)429, text);
            Assert.Equal(TimeSpan.FromSeconds(seconds), response.Headers.RetryAfter!.Delta);
            var problem = JsonNode.Parse(text)!;
            Assert.Equal("too many requests", problem["title"]!.GetValue<string>());
            Assert.Equal($"key 'router' is over its rate limit; retry after {seconds} s", problem["detail"]!.GetValue<string>());
        }
    }

    [Fact]
    public async Task Route_AuditStoreRefusingRows_503AndNothingDecided()
    {
        // Given a server whose audit database refuses every request row (a trigger, as a database administrator could add)
        await using var host = await ServeHost.StartAsync(modelFile: ServeTestData.HandModel);
        using var client = ServeTestData.Client(host.Url);
        var ct = TestContext.Current.CancellationToken;
        StoreFaults.Refuse(AuditStoreKind.Sqlite, host.DatabasePath, StoreFaults.Refusal.Requests);

        // When a record is routed
        using var response = await client.PostAsync("/v1/route", ServeTestData.Json(ServeTestData.HandRecords[0]), ct);

        // Then 503 with a problem saying the decision is not answered, and no decision is counted
        var text = await response.Content.ReadAsStringAsync(ct);
        Assert.True(response.StatusCode == HttpStatusCode.ServiceUnavailable, text);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        var problem = JsonNode.Parse(text)!.AsObject();
        Assert.Equal("audit store unavailable", problem["title"]!.GetValue<string>());
        Assert.Equal("the decision could not be stored, so it is not answered; try again", problem["detail"]!.GetValue<string>());
        Assert.False(problem.ContainsKey("field"));
        Assert.Equal(1, host.Metric("lpp_rejected_requests_total{status=\"503\"}"));
        Assert.Equal(0, PrometheusText.Parse(await client.GetStringAsync("/metrics", ct)).Samples.Where(s => s.Key.StartsWith("lpp_decisions_total{", StringComparison.Ordinal)).Sum(s => s.Value));
    }

    [Theory]
    [InlineData("{\"id\": \"a\", \"labels\": [\"0\"", "$")]
    [InlineData("{\"labels\": [\"0\", \"1\"]}", "id")]
    [InlineData("{\"id\": \"a\", \"labels\": []}", "labels")]
    [InlineData("{\"id\": \"a\", \"labels\": [\"0\"], \"output\": {\"outcome\": \"0\", \"verbalized_confidence\": 150}}", "output.verbalized_confidence")]
    [InlineData("{\"id\": \"a\", \"labels\": [\"0\"], \"truth\": \"7\"}", "truth")]
    [InlineData("[1, 2]", "$")]
    public async Task Route_InvalidRecord_400ProblemNamingTheField(string body, string field)
    {
        // Given a server
        await using var host = await ServeHost.StartAsync();
        using var client = ServeTestData.Client(host.Url);

        // When an invalid record is posted
        using var response = await client.PostAsync("/v1/route", ServeTestData.Json(body), TestContext.Current.CancellationToken);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

        // Then 400 with problem details naming the field, and no stack trace
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        var problem = JsonNode.Parse(text)!;
        Assert.Equal(field, problem["field"]!.GetValue<string>());
        Assert.Equal(400, problem["status"]!.GetValue<int>());
        Assert.DoesNotContain("   at ", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Batch_SomeBadRecords_AnswersTheGoodOnesAndListsTheBadByIndex()
    {
        // Given a batch of 3 good records and 2 bad ones, as JSON Lines and as an array
        await using var host = await ServeHost.StartAsync();
        using var client = ServeTestData.Client(host.Url);
        var items = new[] { ServeTestData.Records[0], "{\"id\": \"bad\", \"labels\": []}", ServeTestData.Records[1], "not json", ServeTestData.Records[2] };

        // When both are posted
        var lines = await PostBatchAsync(client, string.Join('\n', items));
        var array = await PostBatchAsync(client, "[" + string.Join(',', items.Select(i => i == "not json" ? "7" : i)) + "]");

        // Then the good ones are decided in order with their index, and the bad ones listed by index with the field
        foreach (var result in new[] { lines, array })
        {
            Assert.Equal([0, 2, 4], Decisions(result).Select(d => d["index"]!.GetValue<int>()));
            Assert.Equal(["boolq/0", "boolq/1", "boolq/2"], Decisions(result).Select(d => d["id"]!.GetValue<string>()));
            var rejected = result["rejected"]!.AsArray();
            Assert.Equal([1, 3], rejected.Select(r => r!["index"]!.GetValue<int>()));
            Assert.Equal("labels", rejected[0]!["field"]!.GetValue<string>());
        }

        // And a body that is not a batch at all is a 400 naming the body
        using var broken = await client.PostAsync("/v1/route/batch", ServeTestData.Json("[{\"id\": 1}"), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.BadRequest, broken.StatusCode);
        Assert.Equal("$", JsonNode.Parse(await broken.Content.ReadAsStringAsync(TestContext.Current.CancellationToken))!["field"]!.GetValue<string>());
    }

    [Fact]
    public async Task Queues_Reviews_Export_RoundTripToTrainingData()
    {
        // Given a server that routed every test record
        await using var host = await ServeHost.StartAsync();
        using var client = ServeTestData.Client(host.Url);
        var ct = TestContext.Current.CancellationToken;
        var batch = await PostBatchAsync(client, string.Join('\n', ServeTestData.Records));
        var escalated = Decisions(batch).Count(d => d["queue"]!.GetValue<string>() == "review");

        // When the review queue is read, the two most costly items are reviewed, and the other queues are read
        var queue = await GetJsonAsync(client, "/v1/queues/review?limit=1000");
        var items = queue["items"]!.AsArray();
        var senior = await GetJsonAsync(client, "/v1/queues/senior_review");
        var policy = await GetJsonAsync(client, "/v1/queues/policy_review?limit=5");
        var first = items[0]!["decision_id"]!.GetValue<string>();
        var second = items[1]!["decision_id"]!.GetValue<string>();
        using var reviewed = await PostReviewAsync(client, first, "True", "ann");
        using var again = await PostReviewAsync(client, first, "False", "bob");
        using var unknown = await PostReviewAsync(client, "nope", "True", "ann");
        using var badVerdict = await PostReviewAsync(client, second, "Maybe", "ann");
        using var noReviewer = await client.PostAsync("/v1/reviews", ServeTestData.Json($"{{\"decision_id\": \"{second}\", \"verdict\": \"True\"}}"), ct);
        using var reviewedSecond = await PostReviewAsync(client, second, "False", "ann");
        var after = await GetJsonAsync(client, "/v1/queues/review?limit=1000");
        using var badLimit = await client.GetAsync("/v1/queues/review?limit=0", ct);
        using var badQueue = await client.GetAsync("/v1/queues/auto", ct);

        // Then the queue holds every escalated item, most costly (c_error × (1 − score)) first, lowest score first on ties
        Assert.Equal(escalated, items.Count);
        Assert.Equal(escalated, queue["pending"]!.GetValue<int>());
        var costs = items.Select(i => (Cost: i!["cost"]!.GetValue<double>(), Score: i["score"]!.GetValue<double>())).ToList();
        Assert.Equal(costs.OrderByDescending(c => c.Cost).ThenBy(c => c.Score), costs);
        Assert.All(costs, c => Assert.Equal(1 - c.Score, c.Cost, 12));
        Assert.Contains(senior["items"]!.AsArray(), i => i!["id"]!.GetValue<string>() == "abstain/evidence");
        Assert.Contains(policy["items"]!.AsArray(), i => i!["id"]!.GetValue<string>() == "abstain/definition");
        Assert.All(senior["items"]!.AsArray(), i => Assert.Equal("abstain_evidence", i!["reason"]!.GetValue<string>()));

        // And reviews close items once, naming the field at fault otherwise
        Assert.Equal(HttpStatusCode.OK, reviewed.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, badVerdict.StatusCode);
        Assert.Equal("verdict", JsonNode.Parse(await badVerdict.Content.ReadAsStringAsync(ct))!["field"]!.GetValue<string>());
        Assert.Equal("reviewer", JsonNode.Parse(await noReviewer.Content.ReadAsStringAsync(ct))!["field"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, reviewedSecond.StatusCode);
        Assert.Equal(escalated - 2, after["items"]!.AsArray().Count);
        Assert.DoesNotContain(after["items"]!.AsArray(), i => i!["decision_id"]!.GetValue<string>() == first);
        Assert.Equal(HttpStatusCode.BadRequest, badLimit.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, badQueue.StatusCode);

        // And the export holds the two reviewed records with the verdicts as truth, readable for training
        var exported = host.Dir.File("labeled.jsonl");
        var run = LppProcess.Run("feedback", "export", "--db", host.DatabasePath, "--output", exported);
        Assert.Equal(0, run.ExitCode);
        var read = DecisionRecordReader.Read(exported).ToList();
        Assert.All(read, r => Assert.NotNull(r.Record));
        Assert.Equal([items[0]!["id"]!.GetValue<string>(), items[1]!["id"]!.GetValue<string>()], read.Select(r => r.Record!.Id));
        Assert.Equal(["True", "False"], read.Select(r => r.Record!.Truth));
        Assert.Contains("2 reviews, 2 labeled records", run.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AuditLog_AnsweredDecisions_RebuiltByteForByteWithTheirRecordsAsSent()
    {
        // Given a server
        await using var host = await ServeHost.StartAsync();
        using var client = ServeTestData.Client(host.Url);
        var ct = TestContext.Current.CancellationToken;

        // When all records are routed as one JSON array (about 85 KB, so stored deflated) with a bad record at index 2,
        // and three records alone (stored as received)
        var records = ServeTestData.Records.ToList();
        records.Insert(2, "{\"id\": \"bad\"}");
        using var batchResponse = await client.PostAsync("/v1/route/batch", ServeTestData.Json("[" + string.Join(",\n", records) + "]"), ct);
        var batchText = await batchResponse.Content.ReadAsStringAsync(ct);
        var answered = new List<(string Text, string Record)>();
        using (var batch = JsonDocument.Parse(batchText))
        {
            foreach (var decision in batch.RootElement.GetProperty("decisions").EnumerateArray())
            {
                answered.Add((decision.GetRawText(), records[decision.GetProperty("index").GetInt32()]));
            }
        }

        foreach (var record in ServeTestData.Records.Take(3))
        {
            using var response = await client.PostAsync("/v1/route", ServeTestData.Json(record), ct);
            answered.Add(((await response.Content.ReadAsStringAsync(ct)).TrimEnd('\n'), record));
        }

        // Then every answered decision is rebuilt from the audit log exactly as sent, and its record is the bytes received
        Assert.Equal(ServeTestData.Records.Count + 3, answered.Count);
        foreach (var (text, record) in answered)
        {
            var id = JsonNode.Parse(text)!["decision_id"]!.GetValue<string>();
            Assert.Equal(text, Encoding.UTF8.GetString(new DecisionRebuilder(host.Store).Json(host.Store.Find(id)!)));
            Assert.Equal(record, Encoding.UTF8.GetString(host.Store.Find(id)!.RecordJson));
        }
    }

    [Fact]
    public async Task HotReload_UnderConcurrentRequests_NoFailedRequestAndEveryDecisionNamesItsModel()
    {
        // Given a server on model A, and routers for A and B
        await using var host = await ServeHost.StartAsync(o => o with { ApiKeysPath = ServeTestData.KeysFile });
        using var admin = ServeTestData.Client(host.Url, ServeTestData.AdminKey);
        var checksumA = host.Server.Model.Checksum;
        var routerA = host.Server.Model.Router;
        var modelB = EscalationModelFile.Parse(ServeTestData.ModelBBytes);
        var routers = new Dictionary<string, Router> { [checksumA] = routerA, [EscalationModelFile.Checksum(modelB)] = new Router(modelB) };
        Assert.Equal(2, routers.Count);
        var ct = TestContext.Current.CancellationToken;

        // When 4 clients route records while the model is replaced by upload, refused a bad upload and a bad file,
        // and switched back by writing model A's file to disk
        using var stop = new CancellationTokenSource();
        var clients = Enumerable.Range(0, 4).Select(c => Task.Run(async () =>
        {
            using var client = ServeTestData.Client(host.Url, ServeTestData.RouteKey);
            var seen = new List<(int Status, string Body, int Record)>();
            for (var i = c; !stop.IsCancellationRequested || seen.Count < 20; i++)
            {
                var record = i % ServeTestData.Records.Count;
                using var response = await client.PostAsync("/v1/route", ServeTestData.Json(ServeTestData.Records[record]), CancellationToken.None);
                seen.Add(((int)response.StatusCode, await response.Content.ReadAsStringAsync(CancellationToken.None), record));
            }

            return seen;
        }, ct)).ToList();

        using var upload = await admin.PostAsync("/v1/admin/model", new ByteArrayContent(ServeTestData.ModelBBytes) { Headers = { ContentType = new("application/json") } }, ct);
        var afterUpload = host.Server.Model.Checksum;
        var damaged = Encoding.UTF8.GetString(ServeTestData.ModelBBytes).Replace("\"tau\": 0.", "\"tau\": 0.1", StringComparison.Ordinal);
        using var refused = await admin.PostAsync("/v1/admin/model", ServeTestData.Json(damaged), ct);
        File.WriteAllText(host.ModelPath + ".tmp", "{\"format\": \"lpp-escalation-model\"");
        File.Move(host.ModelPath + ".tmp", host.ModelPath, overwrite: true);
        var stillB = await WaitForModelAsync(admin, m => m == afterUpload && host.Metric("lpp_model_reloads_total{result=\"refused\"}") >= 2, ct);
        File.Copy(ServeTestData.ModelA, host.ModelPath + ".tmp", overwrite: true);
        File.Move(host.ModelPath + ".tmp", host.ModelPath, overwrite: true);
        var backToA = await WaitForModelAsync(admin, m => m == checksumA, ct);
        await stop.CancelAsync();
        var results = (await Task.WhenAll(clients)).SelectMany(r => r).ToList();

        // Then the upload swapped, the bad upload got 400 naming the checksum failure, the bad file was refused
        Assert.Equal(HttpStatusCode.OK, upload.StatusCode);
        Assert.NotEqual(checksumA, afterUpload);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("checksum mismatch", await refused.Content.ReadAsStringAsync(ct), StringComparison.Ordinal);
        Assert.True(stillB);
        Assert.True(backToA);

        // And no request failed, and each decision's score is what its named model gives
        Assert.All(results, r => Assert.Equal(200, r.Status));
        var parser = new DecisionRecordParser();
        foreach (var (_, body, record) in results)
        {
            var decision = JsonNode.Parse(body)!;
            var router = routers[decision["model"]!.GetValue<string>()];
            var expected = router.Route(parser.Parse(Encoding.UTF8.GetBytes(ServeTestData.Records[record])));
            Assert.Equal(expected.Score, decision["score"]!.GetValue<double>());
            Assert.Equal(expected.Tau, decision["tau"]!.GetValue<double>());
        }

    }

    [Fact]
    public async Task ModelHealthMetrics_DescribeTheService()
    {
        // Given a server that routed the test records
        await using var host = await ServeHost.StartAsync();
        using var client = ServeTestData.Client(host.Url);
        var ct = TestContext.Current.CancellationToken;
        var decisions = Decisions(await PostBatchAsync(client, string.Join('\n', ServeTestData.Records)));
        int Count(string reason) => decisions.Count(d => d["reason"]!.GetValue<string>() == reason);
        using var bad = await client.PostAsync("/v1/route", ServeTestData.Json("{"), ct);

        // When the model card, probes and metrics are read
        var card = await GetJsonAsync(client, "/v1/model");
        using var ready = await client.GetAsync("/readyz", ct);
        var metrics = PrometheusText.Parse(await client.GetStringAsync("/metrics", ct));

        // Then the card describes the model in service and the metrics count what happened
        Assert.Equal(host.Server.Model.Checksum, card["checksum"]!.GetValue<string>());
        Assert.Equal(host.Server.Model.Model.Tau, card["tau"]!.GetValue<double>());
        Assert.Equal("paper", card["cost_model"]!["form"]!.GetValue<string>());
        Assert.NotEmpty(card["features"]!["names"]!.AsArray());
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal(Count("abstain_evidence"), metrics["lpp_decisions_total{decision=\"escalate\",queue=\"senior_review\",reason=\"abstain_evidence\"}"]);
        Assert.Equal(Count("invalid_output"), metrics["lpp_decisions_total{decision=\"escalate\",queue=\"review\",reason=\"invalid_output\"}"]);
        Assert.Equal(Count("abstain_definition"), metrics["lpp_queue_pending{queue=\"policy_review\"}"]);
        Assert.Equal(1, metrics["lpp_rejected_requests_total{status=\"400\"}"]);
        Assert.Equal(1, metrics["lpp_request_duration_seconds_count{endpoint=\"batch\"}"]);
        Assert.Equal((double)decisions.Count(d => d["decision"]!.GetValue<string>() == "escalate") / decisions.Count, metrics["lpp_escalation_ratio"], 1e-12);
    }

    private static List<JsonObject> Decisions(JsonNode batch) => [.. batch["decisions"]!.AsArray().Select(d => d!.AsObject())];

    private static async Task<JsonNode> PostBatchAsync(HttpClient client, string body)
    {
        using var response = await client.PostAsync("/v1/route/batch", ServeTestData.Json(body), TestContext.Current.CancellationToken);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        return JsonNode.Parse(text)!;
    }

    private static async Task<JsonNode> GetJsonAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(path, TestContext.Current.CancellationToken);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        return JsonNode.Parse(text)!;
    }

    private static Task<HttpResponseMessage> PostReviewAsync(HttpClient client, string decisionId, string verdict, string reviewer) =>
        client.PostAsync("/v1/reviews", ServeTestData.Json(JsonSerializer.Serialize(new Dictionary<string, string> { ["decision_id"] = decisionId, ["verdict"] = verdict, ["reviewer"] = reviewer })), TestContext.Current.CancellationToken);

    /// <summary>Polls the model card every 20 ms until <paramref name="done"/> holds (an event, not a duration); false after 20 s.</summary>
    private static async Task<bool> WaitForModelAsync(HttpClient client, Func<string, bool> done, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (DateTime.UtcNow < deadline)
        {
            var card = await GetJsonAsync(client, "/v1/model");
            if (done(card["checksum"]!.GetValue<string>()))
            {
                return true;
            }

            await Task.Delay(20, ct);
        }

        return false;
    }
}
