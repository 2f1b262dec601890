using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace Lpp.Serving.Tests;

/// <summary>
/// Every request check of the service's endpoints against a request that fails it: the status, and the problem
/// details (title, detail, field) each check promises, and the pages and timings of the requests that pass. One server
/// for the class, on the hand model (no ../shared), with API keys, at most 3 records a batch and 100,000 bytes a body;
/// the keyless 403 starts its own server without keys.
/// </summary>
public sealed class RequestValidationTests(RequestValidationTests.Server server) : IClassFixture<RequestValidationTests.Server>
{
    private const string Json = "application/json";
    private const string JsonLines = "application/x-ndjson";
    private const string UnknownId = "0190f0e2a1b27c3d8e4f5a6b7c8d9e0f";
    private const string QueueTimings = "lpp_request_duration_seconds_count{endpoint=\"queue\"}";

    public static TheoryData<string, string, string?, string, int, string, string, string?> Refusals => new()
    {
        // method, path, content type, body, status, title, detail (a prefix when it ends with "…"), field
        { "POST", "/v1/route", "text/plain", ServeTestData.HandRecords[0], 415, "unsupported media type", "send Content-Type: application/json (got 'text/plain')", "Content-Type" },
        { "POST", "/v1/route/batch", null, ServeTestData.HandRecords[0], 415, "unsupported media type", "send Content-Type: application/json or application/x-ndjson (got none)", "Content-Type" },
        { "POST", "/v1/route", Json, "{\"id\": \"\xFF\"}", 400, "invalid UTF-8", "the body is not valid UTF-8 at byte offset 8", "$" },
        { "POST", "/v1/route", Json, "{\"id\": \"\xC3", 400, "invalid UTF-8", "the body is not valid UTF-8 at byte offset 8", "$" },
        { "POST", "/v1/route/batch", JsonLines, "\n \t\r\n\n", 400, "invalid batch", "the batch holds no records", "$" },
        { "POST", "/v1/route/batch", Json, "[]", 400, "invalid batch", "the batch holds no records", "$" },
        { "POST", "/v1/route/batch", Json, "[1,", 400, "invalid batch", "invalid JSON: …", "$" },
        { "POST", "/v1/route/batch", Json, "[" + ServeTestData.HandRecords[0], 400, "invalid batch", "invalid JSON: Expected depth to be zero at the end of the JSON payload. There is an open JSON object or array that should be closed. LineNumber: 0 | BytePositionInLine: 152.", "$" },
        { "POST", "/v1/route/batch", Json, "[" + ServeTestData.HandRecords[0] + "] 2", 400, "invalid batch", "invalid JSON: '2' is invalid after a single JSON value. Expected end of data. LineNumber: 0 | BytePositionInLine: 154.", "$" },
        { "POST", "/v1/route/batch", JsonLines, string.Join('\n', Enumerable.Repeat(ServeTestData.HandRecords[0], 4)), 413, "batch too large", "the batch holds 4 records; at most 3 are allowed", "$" },
        { "GET", "/v1/queues/review?limit=0", null, "", 400, "invalid limit", "limit must be a whole number from 1 to 1000 (got '0')", "limit" },
        { "GET", "/v1/queues/review?limit=1001", null, "", 400, "invalid limit", "limit must be a whole number from 1 to 1000 (got '1001')", "limit" },
        { "GET", "/v1/queues/review?limit=%2B5", null, "", 400, "invalid limit", "limit must be a whole number from 1 to 1000 (got '+5')", "limit" },
        { "GET", "/v1/queues/auto", null, "", 400, "unknown queue", "queue 'auto' is not one of review, senior_review, policy_review, audit", "queue" },
        { "POST", "/v1/queues/nope/claim", Json, "{\"reviewer\": \"r\"}", 400, "unknown queue", "queue 'nope' is not one of review, senior_review, policy_review, audit", "queue" },
        { "POST", "/v1/queues/review/claim", Json, "[1]", 400, "invalid claim", "a claim must be a JSON object {reviewer, limit, lease_seconds}", "$" },
        { "POST", "/v1/queues/review/claim", Json, "{", 400, "invalid claim", "invalid JSON: Expected depth to be zero at the end of the JSON payload. There is an open JSON object or array that should be closed. LineNumber: 0 | BytePositionInLine: 1.", "$" },
        { "POST", "/v1/queues/review/claim", Json, "{}", 400, "invalid claim", "reviewer must be a non-empty string", "reviewer" },
        { "POST", "/v1/queues/review/claim", Json, "{\"reviewer\": \"\"}", 400, "invalid claim", "reviewer must be a non-empty string", "reviewer" },
        { "POST", "/v1/queues/review/claim", Json, "{\"reviewer\": 7}", 400, "invalid claim", "reviewer must be a non-empty string", "reviewer" },
        { "POST", "/v1/queues/review/claim", Json, "{\"reviewer\": \"r\", \"limit\": 1001}", 400, "invalid claim", "limit must be a whole number from 1 to 1000", "limit" },
        { "POST", "/v1/queues/review/claim", Json, "{\"reviewer\": \"r\", \"limit\": 1.5}", 400, "invalid claim", "limit must be a whole number from 1 to 1000", "limit" },
        { "POST", "/v1/queues/review/claim", Json, "{\"reviewer\": \"r\", \"limit\": \"2\"}", 400, "invalid claim", "limit must be a whole number from 1 to 1000", "limit" },
        { "POST", "/v1/queues/review/claim", Json, "{\"reviewer\": \"r\", \"lease_seconds\": 9}", 400, "invalid claim", "lease_seconds must be a whole number from 10 to 86400", "lease_seconds" },
        { "POST", "/v1/queues/review/claim", Json, "{\"reviewer\": \"r\", \"lease_seconds\": 86401}", 400, "invalid claim", "lease_seconds must be a whole number from 10 to 86400", "lease_seconds" },
        { "POST", "/v1/reviews", Json, "[1]", 400, "invalid review", "a review must be a JSON object {decision_id, verdict, reviewer}", "$" },
        { "POST", "/v1/reviews", Json, "{\"decision_id\": ", 400, "invalid review", "invalid JSON: …", "$" },
        { "POST", "/v1/reviews", Json, "{\"verdict\": \"1\", \"reviewer\": \"r\"}", 400, "invalid review", "decision_id must be a non-empty string", "decision_id" },
        { "POST", "/v1/reviews", Json, "{\"decision_id\": \"x\", \"reviewer\": \"r\"}", 400, "invalid review", "verdict must be a non-empty string", "verdict" },
        { "POST", "/v1/reviews", Json, "{\"decision_id\": \"x\", \"verdict\": \"1\", \"reviewer\": \"\"}", 400, "invalid review", "reviewer must be a non-empty string", "reviewer" },
        { "POST", "/v1/reviews", Json, $"{{\"decision_id\": \"{UnknownId}\", \"verdict\": \"1\", \"reviewer\": \"admin\"}}", 404, "unknown decision", $"no decision has id '{UnknownId}'", "decision_id" },
        { "GET", $"/v1/decisions/{UnknownId}", null, "", 404, "unknown decision", $"no decision has id '{UnknownId}'", "decision_id" },
        { "POST", "/v1/admin/model", Json, "{}", 400, "model refused", "not a model file (no \"format\": \"lpp-escalation-model\"); still serving sha256:…", "$" },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task Request_FailingOneCheck_RefusedWithItsProblem(string method, string path, string? contentType, string body, int status, string title, string detail, string? field)
    {
        // Given the admin key (every scope, acting for any reviewer), when the request is sent
        using var client = ServeTestData.Client(server.Host.Url, ServeTestData.AdminKey);
        using var response = await SendAsync(client, method, path, contentType, Encoding.Latin1.GetBytes(body));

        // Then it is refused with that status and problem
        await AssertProblemAsync(response, status, title, detail, field);
    }

    [Fact]
    public async Task ClaimOrReview_ForAReviewerTheKeyDoesNotActFor_403()
    {
        // Given alice's key, which acts for alice and alice.backup only
        using var alice = ServeTestData.Client(server.Host.Url, ServeTestData.AliceKey);

        // When it claims and reviews as bob
        using var claim = await SendAsync(alice, "POST", "/v1/queues/review/claim", Json, "{\"reviewer\": \"bob\"}"u8.ToArray());
        using var review = await SendAsync(alice, "POST", "/v1/reviews", Json, Encoding.UTF8.GetBytes($"{{\"decision_id\": \"{UnknownId}\", \"verdict\": \"1\", \"reviewer\": \"bob\"}}"));

        // Then both are forbidden, naming the key and the reviewer
        await AssertProblemAsync(claim, 403, "forbidden", "key 'alice-desk' does not act for reviewer 'bob'", "reviewer");
        await AssertProblemAsync(review, 403, "forbidden", "key 'alice-desk' does not act for reviewer 'bob'", "reviewer");
    }

    [Fact]
    public async Task Review_OfADecision_VerdictOutsideItsLabelsAlreadyReviewedAndLeasedToAnother()
    {
        // Given two escalated decisions (v = 0.30 scores 0.45 < tau 0.68)
        using var admin = ServeTestData.Client(server.Host.Url, ServeTestData.AdminKey);
        using var alice = ServeTestData.Client(server.Host.Url, ServeTestData.AliceKey);
        using var batch = await SendAsync(admin, "POST", "/v1/route/batch", JsonLines, Encoding.UTF8.GetBytes(ServeTestData.HandRecords[1] + "\n" + ServeTestData.HandRecords[1]));
        var ids = JsonNode.Parse(await batch.Content.ReadAsStringAsync(TestContext.Current.CancellationToken))!["decisions"]!.AsArray().Select(d => d!["decision_id"]!.GetValue<string>()).ToList();
        Assert.Equal(2, ids.Count);

        // When the first is reviewed with a verdict that is not a label, then with 0, then with 1; and the second,
        // once alice has claimed every pending item, as "admin"
        using var notALabel = await ReviewAsync(admin, ids[0], "7", "admin");
        using var first = await ReviewAsync(admin, ids[0], "0", "admin");
        using var changed = await ReviewAsync(admin, ids[0], "1", "admin");
        using var claimed = await SendAsync(alice, "POST", "/v1/queues/review/claim", Json, "{\"reviewer\": \"alice\", \"limit\": 1000}"u8.ToArray());
        Assert.Contains(ids[1], await claimed.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
        using var leased = await ReviewAsync(admin, ids[1], "0", "admin");

        // Then: 400 listing the record's labels, 200 recorded, 409 naming the first review, 409 naming the lease holder
        await AssertProblemAsync(notALabel, 400, "invalid review", "verdict '7' is not one of the record's labels [0, 1]", "verdict");
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal("recorded", JsonNode.Parse(await first.Content.ReadAsStringAsync(TestContext.Current.CancellationToken))!["status"]!.GetValue<string>());
        await AssertProblemAsync(changed, 409, "already reviewed", $"decision '{ids[0]}' was reviewed before by 'admin' (verdict '0')", "decision_id");
        await AssertProblemAsync(leased, 409, "leased to another reviewer", $"decision '{ids[1]}' is leased to reviewer 'alice' until …", "decision_id");
    }

    [Fact]
    public async Task Batch_ByteOrderMarkCrlfAndBlankLines_RecordsIndexedAmongTheNonBlankLines()
    {
        // Given a JSON Lines batch with a byte order mark, CRLF endings and blank and white-space lines, and the same
        // two records as an array after a byte order mark and white space
        using var admin = ServeTestData.Client(server.Host.Url, ServeTestData.AdminKey);
        var lines = "\uFEFF" + ServeTestData.HandRecords[0] + "\r\n\r\n \t \r\n" + ServeTestData.HandRecords[1] + "\r\n";
        var array = "\uFEFF \r\n\t[" + ServeTestData.HandRecords[0] + ",\n" + ServeTestData.HandRecords[1] + "]\n";

        // When both are routed
        foreach (var (type, body) in new[] { (JsonLines, lines), (Json, array) })
        {
            using var response = await SendAsync(admin, "POST", "/v1/route/batch", type, Encoding.UTF8.GetBytes(body));

            // Then both records are decided, indexed 0 and 1, and nothing is rejected
            var answer = JsonNode.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken))!;
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal([(0, "hand/1"), (1, "hand/2")], answer["decisions"]!.AsArray().Select(d => (d!["index"]!.GetValue<int>(), d["id"]!.GetValue<string>())));
            Assert.Empty(answer["rejected"]!.AsArray());
        }
    }

    [Fact]
    public async Task Route_BodyLargerThanTheFirstBufferButWithinTheLimit_IsRead()
    {
        // Given a record padded with an unknown field to 90,000 bytes: over the first 64 KiB buffer, under the limit.
        // Each request's record has an id of its own, so that a buffer the pool hands back still holding an earlier
        // body cannot pass for this one (the chunked read grows its buffer, copying what it has read so far).
        using var admin = ServeTestData.Client(server.Host.Url, ServeTestData.AdminKey);
        string Padded(string id) => PaddedRecord(90_000, id);
        var sizedId = $"sized-{Guid.NewGuid():N}";
        var chunkedId = $"chunked-{Guid.NewGuid():N}";
        Assert.Equal(90_000, Padded(sizedId).Length);

        // When it is routed with its length, and chunked (no length)
        using var sized = await SendAsync(admin, "POST", "/v1/route", Json, Encoding.UTF8.GetBytes(Padded(sizedId)));
        using var chunked = await SendAsync(admin, "POST", "/v1/route", Json, Encoding.UTF8.GetBytes(Padded(chunkedId)), chunked: true);

        // Then both are decided (v = 0.95 scores 0.61 < 0.68: escalated), each under its own id
        foreach (var (response, id) in new[] { (sized, sizedId), (chunked, chunkedId) })
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(id, JsonNode.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken))!["id"]!.GetValue<string>());
        }
    }

    [Fact]
    public async Task Route_BodyOverTheLimit_413ClosingTheConnection()
    {
        // Given a body one byte over the 100,000-byte limit, sent with its length and chunked
        using var admin = ServeTestData.Client(server.Host.Url, ServeTestData.AdminKey);
        var body = Encoding.UTF8.GetBytes("{\"x_pad\": \"" + new string('a', 100_001 - 13) + "\"}");
        Assert.Equal(100_001, body.Length);

        foreach (var chunked in new[] { false, true })
        {
            // When it is routed
            using var response = await SendAsync(admin, "POST", "/v1/route", Json, body, chunked);

            // Then it is refused with 413, and the server closes the connection (the rest of the body is not read)
            await AssertProblemAsync(response, 413, "body too large", "the request body is over the limit of 100000 bytes", "$");
            Assert.True(response.Headers.ConnectionClose);
        }
    }

    public static TheoryData<string?, string, string, int, string, string> CallerRefusals => new()
    {
        // Authorization header as sent, method, path, status, title, detail
        { null, "POST", "/v1/route", 401, "unauthorized", "send an API key as Authorization: Bearer <key>" },
        { "Basic YWRtaW4ta2V5LTE=", "POST", "/v1/route", 401, "unauthorized", "send an API key as Authorization: Bearer <key>" },
        { "Bearer not-a-key", "POST", "/v1/route", 401, "unauthorized", "the API key is not known" },
        { "Bearer not-a-key", "GET", "/v1/model", 401, "unauthorized", "the API key is not known" },
        { "bearer   " + ServeTestData.RouteKey + " ", "GET", "/v1/queues/review", 403, "forbidden", "key 'router' lacks the review scope" },
        { "Bearer " + ServeTestData.ReviewKey, "POST", "/v1/admin/model", 403, "forbidden", "key 'reviewer' lacks the admin scope" },
    };

    [Theory]
    [MemberData(nameof(CallerRefusals))]
    public async Task Request_CallerWithoutTheKeyOrScope_RefusedNamingWhy(string? authorization, string method, string path, int status, string title, string detail)
    {
        // Given a client sending exactly this Authorization header (none when null)
        using var client = new HttpClient { BaseAddress = new Uri(server.Host.Url) };
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        if (method == "POST")
        {
            request.Content = ServeTestData.Json(ServeTestData.HandRecords[0]);
        }

        // When the request is sent
        using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);

        // Then it is refused with the status, a problem naming the Authorization header, and a Bearer challenge on 401
        await AssertProblemAsync(response, status, title, detail, "Authorization");
        string[] challenges = status == 401 ? ["Bearer"] : [];
        Assert.Equal(challenges, response.Headers.WwwAuthenticate.Select(h => h.Scheme));
    }

    [Fact]
    public async Task AdminModel_ServerWithoutKeys_403NamingTheOption()
    {
        // Given a server started without --api-keys (every caller anonymous: route and review only)
        await using var host = await ServeHost.StartAsync(modelFile: ServeTestData.HandModel);
        using var client = ServeTestData.Client(host.Url);

        // When a model is uploaded
        using var response = await SendAsync(client, "POST", "/v1/admin/model", Json, File.ReadAllBytes(ServeTestData.HandModel));

        // Then it is forbidden, naming the scope and the option that would allow it
        await AssertProblemAsync(response, 403, "forbidden", "the admin scope needs an API key: start lpp serve with --api-keys", "Authorization");
    }

    [Fact]
    public async Task Route_BodyOfExactlyTheLimit_IsRead()
    {
        // Given a record padded with an unknown field to exactly the 100,000-byte limit
        using var admin = ServeTestData.Client(server.Host.Url, ServeTestData.AdminKey);
        var padded = PaddedRecord(100_000, "hand/1");
        Assert.Equal(100_000, padded.Length);

        // When it is routed with its length, and chunked (no length)
        using var sized = await SendAsync(admin, "POST", "/v1/route", Json, Encoding.UTF8.GetBytes(padded));
        using var chunked = await SendAsync(admin, "POST", "/v1/route", Json, Encoding.UTF8.GetBytes(padded), chunked: true);

        // Then both are decided: the limit is inclusive
        foreach (var response in new[] { sized, chunked })
        {
            var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
            Assert.True(response.StatusCode == HttpStatusCode.OK, text);
            Assert.Equal("hand/1", JsonNode.Parse(text)!["id"]!.GetValue<string>());
        }
    }

    [Fact]
    public async Task Route_ContentLengthOverTheLimit_413BeforeTheBodyIsSent()
    {
        // Given a connection that announces a body one byte over the limit and sends only its first bytes
        // When the answer is read, the rest of the body unsent
        var answer = await SendRawAsync("Content-Length: 100001\r\n\r\n{\"id\"");

        // Then the server has refused it from its length alone, without waiting for the body
        Assert.StartsWith("HTTP/1.1 413 ", answer, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Route_ChunkedBodyBrokenOffByABadChunk_400AndNothingDecided()
    {
        // Given a chunked body whose first chunk is a whole record and whose next chunk size is not hexadecimal
        var record = ServeTestData.HandRecords[0];
        var decided = server.Host.Metric("lpp_decisions_total{decision=\"escalate\",queue=\"review\",reason=\"low_confidence\"}");

        // When it is sent
        var answer = await SendRawAsync($"Transfer-Encoding: chunked\r\n\r\n{record.Length:x}\r\n{record}\r\nzz\r\n");

        // Then the body is refused as a bad request, and the record before the bad chunk is not decided
        Assert.StartsWith("HTTP/1.1 400 ", answer, StringComparison.Ordinal);
        Assert.Contains("\"title\":\"bad request\"", answer, StringComparison.Ordinal);
        Assert.Equal(decided, server.Host.Metric("lpp_decisions_total{decision=\"escalate\",queue=\"review\",reason=\"low_confidence\"}"));
    }

    [Fact]
    public async Task QueueAndClaim_Pages_HoldTheQueueAndEachItemsFieldsAndAreTimed()
    {
        // Given two escalated decisions (v = 0.30 scores 0.45 < tau 0.68) in the review queue
        using var admin = ServeTestData.Client(server.Host.Url, ServeTestData.AdminKey);
        var ct = TestContext.Current.CancellationToken;
        var before = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        using var routed = await SendAsync(admin, "POST", "/v1/route", Json, Encoding.UTF8.GetBytes(ServeTestData.HandRecords[1]));
        using var routedAgain = await SendAsync(admin, "POST", "/v1/route", Json, Encoding.UTF8.GetBytes(ServeTestData.HandRecords[1]));
        var after = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var decisionId = JsonNode.Parse(await routed.Content.ReadAsStringAsync(ct))!["decision_id"]!.GetValue<string>();
        var timed = Timed();

        // When the queue is read with the smallest and the largest limit, one item claimed with the smallest limit and
        // lease, and the rest claimed
        using var one = await SendAsync(admin, "GET", "/v1/queues/review?limit=1", null, []);
        using var all = await SendAsync(admin, "GET", "/v1/queues/review?limit=1000", null, []);
        var claimedAt = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        using var claimOne = await SendAsync(admin, "POST", "/v1/queues/review/claim", Json, "{\"reviewer\": \"admin\", \"limit\": 1, \"lease_seconds\": 10}"u8.ToArray());
        var claimedBy = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        using var claim = await SendAsync(admin, "POST", "/v1/queues/review/claim", Json, "{\"reviewer\": \"admin\", \"limit\": 1000}"u8.ToArray());

        // Then both reads are pages of the queue, one of at most 1 item, the other holding the decision with its fields
        Assert.Equal(HttpStatusCode.OK, one.StatusCode);
        Assert.Equal(HttpStatusCode.OK, all.StatusCode);
        var page = JsonNode.Parse(await all.Content.ReadAsStringAsync(ct))!;
        Assert.Single(JsonNode.Parse(await one.Content.ReadAsStringAsync(ct))!["items"]!.AsArray());
        Assert.Equal("review", page["queue"]!.GetValue<string>());
        var item = page["items"]!.AsArray().Single(i => i!["decision_id"]!.GetValue<string>() == decisionId)!;
        Assert.Equal(["decision_id", "id", "reason", "score", "cost", "model", "created", "record"], item.AsObject().Select(p => p.Key));
        Assert.Equal(server.Host.Server.Model.Checksum, item["model"]!.GetValue<string>());
        var created = DateTimeOffset.ParseExact(item["created"]!.GetValue<string>(), "yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal).ToUnixTimeMilliseconds();
        Assert.InRange(created, before, after);
        Assert.Equal(JsonNode.Parse(ServeTestData.HandRecords[1])!.ToJsonString(), item["record"]!.ToJsonString());

        // And the bounds are allowed: one item leased for 10 s
        var leasedOne = JsonNode.Parse(await claimOne.Content.ReadAsStringAsync(ct))!;
        Assert.True(claimOne.StatusCode == HttpStatusCode.OK, leasedOne.ToJsonString());
        var expires = DateTimeOffset.ParseExact(Assert.Single(leasedOne["items"]!.AsArray())!["lease_expires"]!.GetValue<string>(), "yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal).ToUnixTimeMilliseconds();
        Assert.InRange(expires, claimedAt + 10_000, claimedBy + 10_000);

        // And the claim's page holds the queue and each item leased, with when its lease expires
        Assert.Equal(HttpStatusCode.OK, claim.StatusCode);
        var claimed = JsonNode.Parse(await claim.Content.ReadAsStringAsync(ct))!;
        Assert.Equal("review", claimed["queue"]!.GetValue<string>());
        Assert.NotEmpty(claimed["items"]!.AsArray());
        Assert.All(claimed["items"]!.AsArray(), i => Assert.EndsWith("Z", i!["lease_expires"]!.GetValue<string>(), StringComparison.Ordinal));

        // And each of the four answers is timed on /metrics under the queue endpoint
        Assert.Equal(timed + 4, await TimedReachingAsync(timed + 4));
    }

    [Fact]
    public async Task Decision_LookedUp_AnsweredWithoutItsRecordAndTimed()
    {
        // Given a decision
        using var admin = ServeTestData.Client(server.Host.Url, ServeTestData.AdminKey);
        var ct = TestContext.Current.CancellationToken;
        using var routed = await SendAsync(admin, "POST", "/v1/route", Json, Encoding.UTF8.GetBytes(ServeTestData.HandRecords[0]));
        var answered = JsonNode.Parse(await routed.Content.ReadAsStringAsync(ct))!;
        var timed = Timed();

        // When it is looked up by id
        using var found = await SendAsync(admin, "GET", $"/v1/decisions/{answered["decision_id"]!.GetValue<string>()}", null, []);

        // Then the answer holds the decision as answered, not the record, and it is timed under the queue endpoint
        var text = await found.Content.ReadAsStringAsync(ct);
        Assert.True(found.StatusCode == HttpStatusCode.OK, text);
        Assert.Equal(Json, found.Content.Headers.ContentType?.MediaType);
        var lookup = JsonNode.Parse(text)!.AsObject();
        Assert.Equal(answered.ToJsonString(), lookup["decision"]!.ToJsonString());
        Assert.False(lookup.ContainsKey("record"));
        Assert.Equal(timed + 1, await TimedReachingAsync(timed + 1));
    }

    [Fact]
    public async Task Model_Read_Timed()
    {
        // Given the count of model card reads timed so far
        using var admin = ServeTestData.Client(server.Host.Url, ServeTestData.AdminKey);
        var series = "lpp_request_duration_seconds_count{endpoint=\"model\"}";
        var before = server.Host.Metric(series);

        // When the model card is read
        using var card = await SendAsync(admin, "GET", "/v1/model", null, []);

        // Then it is answered and timed under the model endpoint
        Assert.Equal(HttpStatusCode.OK, card.StatusCode);
        var expected = (double.IsNaN(before) ? 0 : before) + 1;
        Assert.Equal(expected, await server.Host.MetricReachingAsync(series, expected));
    }

    /// <summary>The first hand record under <paramref name="id"/>, padded with an unknown field to <paramref name="length"/> characters (ASCII, so bytes).</summary>
    private static string PaddedRecord(int length, string id)
    {
        var record = ServeTestData.HandRecords[0].Replace("\"hand/1\"", $"\"{id}\"", StringComparison.Ordinal);
        return record[..^1] + ", \"x_pad\": \"" + new string('a', length - record.Length - 13) + "\"}";
    }

    /// <summary>The answers timed so far under the queue endpoint (queue pages, claims, decision lookups).</summary>
    private double Timed()
    {
        var count = server.Host.Metric(QueueTimings);
        return double.IsNaN(count) ? 0 : count;
    }

    /// <summary><see cref="Timed"/> once it is <paramref name="expected"/> (waiting up to 5 s: see <see cref="ServeHost.MetricReachingAsync"/>).</summary>
    private async Task<double> TimedReachingAsync(double expected) => await server.Host.MetricReachingAsync(QueueTimings, expected);

    /// <summary>
    /// Sends POST /v1/route with the admin key and JSON content type on a raw connection, followed by
    /// <paramref name="rest"/> (the remaining headers, the blank line and the body as far as wanted); returns the
    /// response's head.
    /// </summary>
    private async Task<string> SendRawAsync(string rest)
    {
        using var tcp = new System.Net.Sockets.TcpClient();
        var url = new Uri(server.Host.Url);
        await tcp.ConnectAsync(url.Host, url.Port, TestContext.Current.CancellationToken);
        var stream = tcp.GetStream();
        var request = $"POST /v1/route HTTP/1.1\r\nHost: {url.Authority}\r\nAuthorization: Bearer {ServeTestData.AdminKey}\r\nContent-Type: application/json\r\n{rest}";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request), TestContext.Current.CancellationToken);
        return await ReadResponseHeadAsync(stream);
    }

    /// <summary>Reads a response's status line, headers and (for a problem) its short body, up to 4 KiB or the connection's end.</summary>
    private static async Task<string> ReadResponseHeadAsync(System.Net.Sockets.NetworkStream stream)
    {
        var buffer = new byte[4096];
        var length = 0;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        while (length < buffer.Length)
        {
            var read = await stream.ReadAsync(buffer.AsMemory(length), timeout.Token);
            if (read == 0)
            {
                break;
            }

            length += read;
            var text = Encoding.UTF8.GetString(buffer, 0, length);
            var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
            if (end >= 0 && text.Split("\r\n").FirstOrDefault(h => h.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase)) is { } header
                && length >= end + 4 + int.Parse(header["Content-Length:".Length..].Trim(), System.Globalization.CultureInfo.InvariantCulture))
            {
                return text;
            }
        }

        return Encoding.UTF8.GetString(buffer, 0, length);
    }

    private static async Task<HttpResponseMessage> SendAsync(HttpClient client, string method, string path, string? contentType, byte[] body, bool chunked = false)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (method == "POST")
        {
            request.Content = chunked ? new StreamContent(new MemoryStream(body)) : new ByteArrayContent(body);
            if (contentType is not null)
            {
                request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
            }

            request.Headers.TransferEncodingChunked = chunked;
        }

        return await client.SendAsync(request, TestContext.Current.CancellationToken);
    }

    private static Task<HttpResponseMessage> ReviewAsync(HttpClient client, string decisionId, string verdict, string reviewer) =>
        SendAsync(client, "POST", "/v1/reviews", Json, Encoding.UTF8.GetBytes($"{{\"decision_id\": \"{decisionId}\", \"verdict\": \"{verdict}\", \"reviewer\": \"{reviewer}\"}}"));

    private static async Task AssertProblemAsync(HttpResponseMessage response, int status, string title, string detail, string? field)
    {
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(status == (int)response.StatusCode, $"expected {status}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonNode.Parse(text)!.AsObject();
        Assert.Equal(title, problem["title"]!.GetValue<string>());
        Assert.Equal(status, problem["status"]!.GetValue<int>());
        var actual = problem["detail"]!.GetValue<string>();
        if (detail.EndsWith('…'))
        {
            Assert.StartsWith(detail[..^1], actual, StringComparison.Ordinal);
        }
        else
        {
            Assert.Equal(detail, actual);
        }

        Assert.Equal(field, problem["field"]?.GetValue<string>());
        Assert.DoesNotContain('\n', actual);
    }

    /// <summary>The server the class shares.</summary>
    public sealed class Server : IAsyncLifetime
    {
        private ServeHost? _host;

        internal ServeHost Host => _host ?? throw new InvalidOperationException("the server has not started");

        public async ValueTask InitializeAsync() =>
            _host = await ServeHost.StartAsync(o => o with { ApiKeysPath = ServeTestData.KeysFile, MaxBatchRecords = 3, MaxBodyBytes = 100_000 }, modelFile: ServeTestData.HandModel);

        public async ValueTask DisposeAsync()
        {
            if (_host is not null)
            {
                await _host.DisposeAsync();
            }
        }
    }
}
