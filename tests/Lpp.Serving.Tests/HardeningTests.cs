using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Lpp.Serving.Tests;

/// <summary>Each hardening rule of the service, with a request or a start that tries to get past it.</summary>
public sealed class HardeningTests
{
    [Theory]
    [InlineData("http://0.0.0.0:0")]
    [InlineData("http://127.0.0.1:0;http://[::]:0")]
    [InlineData("http://*:0")]
    [InlineData("http://192.168.1.10:0")]
    public async Task Start_WithoutKeysOnAnOpenAddress_RefusedWithOneLine(string urls)
    {
        // Given no API keys and an address that is not loopback, when the server starts, then it refuses naming it
        using var dir = new TempDir();
        var options = new ServeOptions { ModelPath = ServeTestData.ModelA, Urls = urls, DatabasePath = dir.File("audit.db") };
        var e = await Assert.ThrowsAsync<ServeException>(() => LppServer.StartAsync(options, TimeProvider.System, consoleLog: false));
        Assert.Contains("without --api-keys the API is open to any caller, so it listens on loopback only", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
        Assert.False(File.Exists(dir.File("audit.db")));
    }

    [Fact]
    public void Serve_WithoutKeysOnAllAddresses_ExitTwoOneLine()
    {
        // Given the real program, when it is asked to listen on every address without keys, then exit 2 and one line
        using var dir = new TempDir();
        var run = LppProcess.Run("serve", "--model", ServeTestData.ModelA, "--db", dir.File("audit.db"), "--urls", "http://0.0.0.0:0");
        LppProcess.AssertUserError(run, "--urls http://0.0.0.0:0: without --api-keys");
    }

    [Theory]
    [InlineData("http://127.0.0.1:5080", true)]
    [InlineData("http://[::1]:5080", true)]
    [InlineData("http://localhost:5080", true)]
    [InlineData("http://127.0.0.2:5080", true)]
    [InlineData("http://0.0.0.0:5080", false)]
    [InlineData("http://+:5080", false)]
    [InlineData("http://example.internal:5080", false)]
    [InlineData("not a url", false)]
    public void IsLoopback_Addresses_OnlyLoopbackAccepted(string url, bool loopback) =>
        Assert.Equal(loopback, LppServer.IsLoopback(url));

    [Fact]
    public async Task AdminModel_WithoutKeys_403AndTheModelStays()
    {
        // Given a server without keys (loopback) serving model A
        await using var host = await ServeHost.StartAsync();
        using var client = ServeTestData.Client(host.Url);
        var ct = TestContext.Current.CancellationToken;
        var before = File.ReadAllBytes(host.ModelPath);

        // When model B is uploaded without a key
        using var upload = await client.PostAsync("/v1/admin/model", new ByteArrayContent(ServeTestData.ModelBBytes) { Headers = { ContentType = new("application/json") } }, ct);

        // Then 403 saying admin needs a key; the served model and the file on disk are unchanged
        Assert.Equal(HttpStatusCode.Forbidden, upload.StatusCode);
        Assert.Contains("needs an API key", await upload.Content.ReadAsStringAsync(ct), StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllBytes(host.ModelPath));
        Assert.Equal(host.Server.Model.Checksum, JsonNode.Parse(await client.GetStringAsync("/v1/model", ct))!["checksum"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("/v1/route", "text/plain", 415)]
    [InlineData("/v1/route", null, 415)]
    [InlineData("/v1/route", "application/x-ndjson", 415)]
    [InlineData("/v1/route", "application/json; charset=utf-8", 200)]
    [InlineData("/v1/route/batch", "application/x-ndjson", 200)]
    [InlineData("/v1/route/batch", "text/plain", 415)]
    [InlineData("/v1/reviews", "text/plain", 415)]
    [InlineData("/v1/queues/review/claim", "application/x-www-form-urlencoded", 415)]
    [InlineData("/v1/admin/model", "text/plain", 415)]
    public async Task JsonEndpoints_OtherContentTypes_415(string path, string? contentType, int expected)
    {
        // Given a server with keys, and a body that is fine for the endpoint
        await using var host = await ServeHost.StartAsync(o => o with { ApiKeysPath = ServeTestData.KeysFile });
        using var client = ServeTestData.Client(host.Url, ServeTestData.AdminKey);
        var body = path switch
        {
            "/v1/admin/model" => File.ReadAllText(ServeTestData.ModelA),
            "/v1/reviews" => """{"decision_id": "0190f0e2a1b27c3d8e4f5a6b7c8d9e0f", "verdict": "True", "reviewer": "admin"}""",
            "/v1/queues/review/claim" => """{"reviewer": "admin"}""",
            _ => ServeTestData.Records[0],
        };
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
        if (contentType is not null)
        {
            content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        }

        // When it is sent with the content type, then JSON (or JSON Lines for a batch) passes and anything else is 415
        using var response = await client.PostAsync(path, content, TestContext.Current.CancellationToken);
        Assert.Equal(expected, (int)response.StatusCode);
        if (expected == 415)
        {
            Assert.Equal("Content-Type", JsonNode.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken))!["field"]!.GetValue<string>());
        }
    }

    [Fact]
    public async Task Route_InvalidUtf8InAnUnknownField_400NamingTheOffsetAndNothingStored()
    {
        // Given a server and a record with a stray 0xFF byte inside an unknown field's string
        await using var host = await ServeHost.StartAsync();
        using var client = ServeTestData.Client(host.Url);
        var ct = TestContext.Current.CancellationToken;
        var prefix = Encoding.UTF8.GetBytes("{\"x_note\": \"caf");
        var rest = Encoding.UTF8.GetBytes("\", " + ServeTestData.Records[0].TrimStart('{'));
        byte[] body = [.. prefix, 0xFF, .. rest];

        // When it is routed, alone and in a batch
        using var single = await client.PostAsync("/v1/route", new ByteArrayContent(body) { Headers = { ContentType = new("application/json") } }, ct);
        using var batch = await client.PostAsync("/v1/route/batch", new ByteArrayContent(body) { Headers = { ContentType = new("application/x-ndjson") } }, ct);

        // Then both get 400 naming the byte offset, and no decision was stored (so no queue can serve the byte)
        foreach (var response in new[] { single, batch })
        {
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Contains($"not valid UTF-8 at byte offset {prefix.Length}", await response.Content.ReadAsStringAsync(ct), StringComparison.Ordinal);
        }

        Assert.Empty(host.Store.Decisions(null, null));
    }

    [Fact]
    public async Task SqliteStore_SecondServerOnTheSameFile_RefusedWithOneLine()
    {
        // Given a server on a SQLite file
        await using var host = await ServeHost.StartAsync();

        // When a second store opens the same file for writing, in this process and as a second lpp serve
        var e = Assert.Throws<ServeException>(() => SqliteAuditStore.Open(host.DatabasePath));
        var run = LppProcess.Run("serve", "--model", ServeTestData.ModelA, "--db", host.DatabasePath, "--urls", "http://127.0.0.1:0");

        // Then both are refused naming the lock
        Assert.StartsWith($"--db {host.DatabasePath}: another lpp serve is using this database", e.Message, StringComparison.Ordinal);
        LppProcess.AssertUserError(run, "another lpp serve is using this database");
    }

    [Theory]
    [InlineData(AuditDurability.Full, 2)]
    [InlineData(AuditDurability.Fast, 1)]
    public async Task SqliteStore_Durability_SetsSynchronous(AuditDurability durability, int synchronous)
    {
        // Given a store opened with a durability, then its writer runs with synchronous FULL (2) or NORMAL (1)
        using var dir = new TempDir();
        await using var store = SqliteAuditStore.Open(dir.File("audit.db"), durability: durability);
        Assert.Equal(synchronous, store.Synchronous);
    }

    [Fact]
    public async Task Readyz_CommitsFailingThenSucceeding_NotReadyAfterThreeFailuresThenReadyWithoutTraffic()
    {
        // Given a server on PostgreSQL whose audit tables refuse every new row (a constraint no row meets, as a full disk would)
        await using var host = await ServeHost.StartAsync(store: AuditStoreKind.Postgres);
        var ct = TestContext.Current.CancellationToken;
        using var client = ServeTestData.Client(host.Url);
        using var ready = await client.GetAsync("/readyz", ct);
        Execute(host.Postgres, "ALTER TABLE lpp_requests ADD CONSTRAINT lpp_test_full CHECK (count < 0) NOT VALID; ALTER TABLE lpp_heartbeat ADD CONSTRAINT lpp_test_full CHECK (probes < 0) NOT VALID; INSERT INTO lpp_heartbeat VALUES (1, -1) ON CONFLICT DO NOTHING");

        // When three decisions are asked for, one at a time
        var statuses = new List<HttpStatusCode>();
        var readiness = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            using var routed = await client.PostAsync("/v1/route", ServeTestData.Json(ServeTestData.Records[i]), ct);
            statuses.Add(routed.StatusCode);
            using var check = await client.GetAsync("/readyz", ct);
            readiness.Add(check.StatusCode);
        }

        // Then each got 503, and the server was ready until the third failure; it stays unready while probes fail
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal([HttpStatusCode.ServiceUnavailable, HttpStatusCode.ServiceUnavailable, HttpStatusCode.ServiceUnavailable], statuses);
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.ServiceUnavailable], readiness);
        using (var unready = await client.GetAsync("/readyz", ct))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, unready.StatusCode);
            Assert.Contains("its last commits failed", await unready.Content.ReadAsStringAsync(ct), StringComparison.Ordinal);
        }

        // When the tables take rows again, then with no decision asked for the probe makes it ready (bounded polling), and it decides
        Execute(host.Postgres, "ALTER TABLE lpp_requests DROP CONSTRAINT lpp_test_full; ALTER TABLE lpp_heartbeat DROP CONSTRAINT lpp_test_full");
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var back = HttpStatusCode.ServiceUnavailable;
        while (back != HttpStatusCode.OK && clock.Elapsed < TimeSpan.FromSeconds(60))
        {
            using var check = await client.GetAsync("/readyz", ct);
            back = check.StatusCode;
            await Task.Delay(20, ct);
        }

        Assert.Equal(HttpStatusCode.OK, back);
        using var decided = await client.PostAsync("/v1/route", ServeTestData.Json(ServeTestData.Records[0]), ct);
        Assert.Equal(HttpStatusCode.OK, decided.StatusCode);
    }

    [Theory]
    [InlineData(AuditStoreKind.Sqlite)]
    [InlineData(AuditStoreKind.Postgres)]
    public async Task Readyz_ReviewsAndOneRecordRefused_Only503ForThemAndTheServerStaysReady(AuditStoreKind kind)
    {
        // Given a server with three decisions made, whose database then refuses every review row and the request row
        // of a record holding a poison marker
        await using var host = await ServeHost.StartAsync(store: kind);
        var ct = TestContext.Current.CancellationToken;
        using var client = ServeTestData.Client(host.Url);
        var decided = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            using var routed = await client.PostAsync("/v1/route", ServeTestData.Json(ServeTestData.Records[i]), ct);
            decided.Add(JsonNode.Parse(await routed.Content.ReadAsStringAsync(ct))!["decision_id"]!.GetValue<string>());
        }

        var database = kind == AuditStoreKind.Sqlite ? host.DatabasePath : host.Postgres;
        StoreFaults.Refuse(kind, database, StoreFaults.Refusal.Reviews);
        StoreFaults.Refuse(kind, database, StoreFaults.Refusal.PoisonedRequests);

        // When, three rounds over, eight good records, the poisoned one and three reviews are sent at once (so they
        // share group commits), and /readyz is asked after each round
        var good = new List<HttpStatusCode>();
        var poisoned = new List<HttpStatusCode>();
        var reviews = new List<HttpStatusCode>();
        var readiness = new List<HttpStatusCode>();
        for (var round = 0; round < 3; round++)
        {
            var goodSent = Enumerable.Range(0, 8).Select(j => client.PostAsync("/v1/route", ServeTestData.Json(ServeTestData.Records[10 + (8 * round) + j]), ct)).ToList();
            var poisonedSent = client.PostAsync("/v1/route", ServeTestData.Json(StoreFaults.Poisoned(ServeTestData.Records[round])), ct);
            var reviewsSent = decided.Select(id => client.PostAsync("/v1/reviews", ServeTestData.Json(JsonSerializer.Serialize(new Dictionary<string, string> { ["decision_id"] = id, ["verdict"] = "True", ["reviewer"] = "ann" })), ct)).ToList();
            good.AddRange((await Task.WhenAll(goodSent)).Select(r => r.StatusCode));
            poisoned.Add((await poisonedSent).StatusCode);
            reviews.AddRange((await Task.WhenAll(reviewsSent)).Select(r => r.StatusCode));
            using var check = await client.GetAsync("/readyz", ct);
            readiness.Add(check.StatusCode);
        }

        // Then every good record was decided, the poisoned one and every review got 503, the server stayed ready,
        // and the 24 good decisions are in the audit log with none of the poisoned one
        Assert.Equal(Enumerable.Repeat(HttpStatusCode.OK, 24), good);
        Assert.Equal(Enumerable.Repeat(HttpStatusCode.ServiceUnavailable, 3), poisoned);
        Assert.Equal(Enumerable.Repeat(HttpStatusCode.ServiceUnavailable, 9), reviews);
        Assert.Equal(Enumerable.Repeat(HttpStatusCode.OK, 3), readiness);
        await using var audit = await AuditStores.OpenForReadingAsync(kind, host.DatabasePath, kind == AuditStoreKind.Postgres ? StoreConnection.Resolve(null, host.Postgres) : null);
        var stored = audit.Decisions(null, null).Select(e => Encoding.UTF8.GetString(e.RecordJson)).ToList();
        Assert.Equal(27, stored.Count);
        Assert.DoesNotContain(stored, r => r.Contains(StoreFaults.Poison, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("route", "no-version")]
    [InlineData("route", "truncated")]
    [InlineData("evaluate", "no-version")]
    [InlineData("explain", "no-version")]
    [InlineData("explain", "truncated")]
    [InlineData("serve", "no-version")]
    [InlineData("serve", "truncated")]
    public void Command_BadModelFileAtStart_OneLineExitTwo(string command, string damage)
    {
        // Given model A without its format_version, or cut off half way
        using var dir = new TempDir();
        var text = File.ReadAllText(ServeTestData.ModelA);
        var bad = dir.Write("bad-model.json", damage == "truncated" ? text[..(text.Length / 2)] : System.Text.RegularExpressions.Regex.Replace(text, "\"format_version\": *[0-9]+,", string.Empty));
        Assert.NotEqual(text.Length, File.ReadAllText(bad).Length);

        // When the real program starts on it
        string[] args = command switch
        {
            "route" => ["route", "--model", bad, "--input", ServeTestData.RecordsFile, "--output", dir.File("out.jsonl")],
            "evaluate" => ["evaluate", "--model", bad, "--input", ServeTestData.RecordsFile, "--output", dir.File("eval")],
            "explain" => ["explain", "--model", bad],
            _ => ["serve", "--model", bad, "--db", dir.File("audit.db"), "--urls", "http://127.0.0.1:0"],
        };
        var run = LppProcess.Run(args);

        // Then it refuses on one line naming the file, exit 2, no stack trace
        LppProcess.AssertUserError(run, bad);
    }

    private static void Execute(string connectionString, string sql)
    {
        using var connection = new Npgsql.NpgsqlConnection(connectionString);
        connection.Open();
        using var command = new Npgsql.NpgsqlCommand(sql, connection);
        command.ExecuteNonQuery();
    }
}
