using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace Lpp.Serving.Tests;

/// <summary>
/// Every request check of the service's endpoints against a request that fails it: the status, and the problem
/// details (title, detail, field) each check promises. One server for the class, on the hand model (no ../shared),
/// with API keys, at most 3 records a batch and 100,000 bytes a body.
/// </summary>
public sealed class RequestValidationTests(RequestValidationTests.Server server) : IClassFixture<RequestValidationTests.Server>
{
    private const string Json = "application/json";
    private const string JsonLines = "application/x-ndjson";
    private const string UnknownId = "0190f0e2a1b27c3d8e4f5a6b7c8d9e0f";

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
        { "POST", "/v1/route/batch", JsonLines, string.Join('\n', Enumerable.Repeat(ServeTestData.HandRecords[0], 4)), 413, "batch too large", "the batch holds 4 records; at most 3 are allowed", "$" },
        { "GET", "/v1/queues/review?limit=0", null, "", 400, "invalid limit", "limit must be a whole number from 1 to 1000 (got '0')", "limit" },
        { "GET", "/v1/queues/review?limit=1001", null, "", 400, "invalid limit", "limit must be a whole number from 1 to 1000 (got '1001')", "limit" },
        { "GET", "/v1/queues/review?limit=%2B5", null, "", 400, "invalid limit", "limit must be a whole number from 1 to 1000 (got '+5')", "limit" },
        { "GET", "/v1/queues/auto", null, "", 400, "unknown queue", "queue 'auto' is not one of review, senior_review, policy_review, audit", "queue" },
        { "POST", "/v1/queues/nope/claim", Json, "{\"reviewer\": \"r\"}", 400, "unknown queue", "queue 'nope' is not one of review, senior_review, policy_review, audit", "queue" },
        { "POST", "/v1/queues/review/claim", Json, "[1]", 400, "invalid claim", "a claim must be a JSON object {reviewer, limit, lease_seconds}", "$" },
        { "POST", "/v1/queues/review/claim", Json, "{", 400, "invalid claim", "invalid JSON: …", "$" },
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
        // Given a record padded with an unknown field to 90,000 bytes: over the first 64 KiB buffer, under the limit
        using var admin = ServeTestData.Client(server.Host.Url, ServeTestData.AdminKey);
        var record = ServeTestData.HandRecords[0];
        var padded = record[..^1] + ", \"x_pad\": \"" + new string('a', 90_000 - record.Length - 13) + "\"}";
        Assert.Equal(90_000, padded.Length);

        // When it is routed with its length, and chunked (no length)
        using var sized = await SendAsync(admin, "POST", "/v1/route", Json, Encoding.UTF8.GetBytes(padded));
        using var chunked = await SendAsync(admin, "POST", "/v1/route", Json, Encoding.UTF8.GetBytes(padded), chunked: true);

        // Then both are decided (v = 0.95 scores 0.61 < 0.68: escalated)
        foreach (var response in new[] { sized, chunked })
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("hand/1", JsonNode.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken))!["id"]!.GetValue<string>());
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
