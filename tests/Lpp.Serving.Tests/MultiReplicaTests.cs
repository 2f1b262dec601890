using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Lpp.Serving.Tests;

/// <summary>
/// Two real <c>lpp serve --store postgres</c> processes on one database, as replicas behind a load balancer: one
/// audit log, one set of queues, one model. Timeouts are generous (the test machine may be very busy); nothing sleeps.
/// </summary>
public sealed class MultiReplicaTests : IDisposable
{
    private readonly PostgresSchemas _schemas = new();
    private readonly TempDir _dir = new();

    public void Dispose()
    {
        _schemas.Dispose();
        _dir.Dispose();
    }

    [Fact]
    public async Task TwoReplicas_DecisionsClaimsAndUpload_OneAuditLogNoItemClaimedTwiceUploadServedByBoth()
    {
        // Given two replicas on one PostgreSQL database
        var connectionFile = _dir.Write("postgres-connection", _schemas.Create());
        using var first = await StartReplicaAsync("a", connectionFile);
        using var second = await StartReplicaAsync("b", connectionFile);
        var ct = TestContext.Current.CancellationToken;
        var replicas = new[] { first.Url, second.Url };

        // When the same 203 records are routed as a batch through each
        var decided = new List<string>();
        foreach (var url in replicas)
        {
            using var router = Client(url, ServeTestData.RouteKey);
            using var response = await router.PostAsync("/v1/route/batch", ServeTestData.Json(string.Join('\n', ServeTestData.Records)), ct);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            decided.AddRange(JsonNode.Parse(await response.Content.ReadAsStringAsync(ct))!["decisions"]!.AsArray().Select(d => d!["decision_id"]!.GetValue<string>()));
        }

        // Then every decision is one audit log: each replica finds the other's, and the export lists them all once
        using (var lookFirst = Client(first.Url, ServeTestData.RouteKey))
        using (var lookSecond = Client(second.Url, ServeTestData.RouteKey))
        {
            foreach (var id in decided.Take(ServeTestData.Records.Count).Take(20).Concat(decided.Skip(ServeTestData.Records.Count).Take(20)))
            {
                using var a = await lookFirst.GetAsync($"/v1/decisions/{id}", ct);
                using var b = await lookSecond.GetAsync($"/v1/decisions/{id}", ct);
                Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (a.StatusCode, b.StatusCode));
            }
        }

        var export = _dir.File("audit.jsonl");
        var exported = LppProcess.RunWithout("LPP_POSTGRES", "audit", "export", "--store", "postgres", "--store-connection-file", connectionFile, "--output", export);
        Assert.True(exported.ExitCode == 0, exported.StdErr);
        var ids = File.ReadLines(export).Select(l => JsonNode.Parse(l)!["decision_id"]!.GetValue<string>()).ToList();
        Assert.Equal(2 * ServeTestData.Records.Count, decided.Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(decided.Order(StringComparer.Ordinal), ids.Order(StringComparer.Ordinal));

        // When four reviewers work the review queue at once, each claiming 5 at a time through alternate replicas
        // and reviewing what it got
        using var count = Client(first.Url, ServeTestData.AdminKey);
        var pending = JsonNode.Parse(await count.GetStringAsync("/v1/queues/review?limit=1", ct))!["pending"]!.GetValue<long>();
        (string Key, string Name)[] reviewers = [(ServeTestData.AliceKey, "alice"), (ServeTestData.AliceKey, "alice.backup"), (ServeTestData.ReviewKey, "reviewer"), (ServeTestData.AdminKey, "admin")];
        var claimed = await Task.WhenAll(reviewers.Select((r, i) => Task.Run(() => WorkQueueAsync(replicas, r.Key, r.Name, i, ct), ct)));

        // Then no item went to two reviewers, every item was claimed and reviewed once, and the queue is empty on both
        var all = claimed.SelectMany(c => c).ToList();
        Assert.True(pending >= 20, $"only {pending} items to review");
        Assert.Equal(all.Count, all.Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(pending, all.Count);
        foreach (var url in replicas)
        {
            using var client = Client(url, ServeTestData.AdminKey);
            Assert.Equal(0, JsonNode.Parse(await client.GetStringAsync("/v1/queues/review", ct))!["pending"]!.GetValue<long>());
        }

        // When model B is uploaded to the first replica
        using var admin = Client(first.Url, ServeTestData.AdminKey);
        using var upload = await admin.PostAsync("/v1/admin/model", new ByteArrayContent(ServeTestData.ModelBBytes) { Headers = { ContentType = new("application/json") } }, ct);
        var uploaded = Stopwatch.StartNew();
        Assert.Equal(HttpStatusCode.OK, upload.StatusCode);
        var checksumB = JsonNode.Parse(await upload.Content.ReadAsStringAsync(ct))!["checksum"]!.GetValue<string>();

        // Then the second serves it within 2 s (bounded polling of GET /v1/model), and its decisions name it
        using var other = Client(second.Url, ServeTestData.AdminKey);
        string? served = null;
        while (served != checksumB && uploaded.Elapsed < TimeSpan.FromSeconds(2))
        {
            served = JsonNode.Parse(await other.GetStringAsync("/v1/model", ct))!["checksum"]!.GetValue<string>();
            await Task.Delay(20, ct);
        }

        Assert.True(served == checksumB, $"the second replica still served {served} {uploaded.Elapsed.TotalSeconds:F2} s after the upload");
        using var decision = await other.PostAsync("/v1/route", ServeTestData.Json(ServeTestData.Records[0]), ct);
        Assert.Equal(checksumB, JsonNode.Parse(await decision.Content.ReadAsStringAsync(ct))!["model"]!.GetValue<string>());
    }

    [Fact]
    public async Task TwoReplicas_OneKilledUnderLoad_EveryAcknowledgedDecisionFoundThroughTheOther()
    {
        // Given two replicas on one PostgreSQL database
        var connectionFile = _dir.Write("postgres-connection", _schemas.Create());
        using var victim = await StartReplicaAsync("victim", connectionFile);
        using var survivor = await StartReplicaAsync("survivor", connectionFile);

        // When 12 clients route single records and batches through the first until 2,000 decisions were
        // acknowledged, 4 more through the second all along, and the first is killed with SIGKILL
        var acknowledged = new ConcurrentBag<string>();
        var killing = 0;
        using var stop = new CancellationTokenSource();
        var victimClients = Enumerable.Range(0, 12).Select(c => Task.Run(() => RouteUntilAsync(victim.Url, c, acknowledged, stop.Token, () => Volatile.Read(ref killing) == 1))).ToList();
        var survivorAnswers = new ConcurrentBag<string>();
        var survivorClients = Enumerable.Range(0, 4).Select(c => Task.Run(() => RouteUntilAsync(survivor.Url, c, survivorAnswers, stop.Token, () => false))).ToList();
        var clock = Stopwatch.StartNew();
        while (acknowledged.Count < 2000 && !victimClients.Concat(survivorClients).Any(t => t.IsCompleted) && clock.Elapsed < TimeSpan.FromMinutes(5))
        {
            await Task.Delay(10, TestContext.Current.CancellationToken);
        }

        Volatile.Write(ref killing, 1);
        await victim.KillAsync();
        await Task.WhenAll(victimClients);
        var afterKill = survivorAnswers.Count;
        while (survivorAnswers.Count < afterKill + 100 && !survivorClients.Any(t => t.IsCompleted) && clock.Elapsed < TimeSpan.FromMinutes(6))
        {
            await Task.Delay(10, TestContext.Current.CancellationToken);
        }

        await stop.CancelAsync();
        await Task.WhenAll(survivorClients);

        // Then the second kept answering, and every decision the first acknowledged is found through the second
        Assert.True(acknowledged.Count >= 2000, $"only {acknowledged.Count} decisions were acknowledged");
        Assert.True(survivorAnswers.Count >= afterKill + 100, $"the surviving replica answered {survivorAnswers.Count - afterKill} decisions after the kill");
        using var client = Client(survivor.Url, ServeTestData.RouteKey);
        var missing = new List<string>();
        foreach (var id in acknowledged)
        {
            using var found = await client.GetAsync($"/v1/decisions/{id}", TestContext.Current.CancellationToken);
            if (found.StatusCode != HttpStatusCode.OK)
            {
                missing.Add($"{id}: {(int)found.StatusCode}");
            }
        }

        Assert.Empty(missing);
    }

    /// <summary>Routes through <paramref name="url"/> until stopped; failures are the test's unless <paramref name="dying"/> says the server is being killed.</summary>
    private static async Task RouteUntilAsync(string url, int client, ConcurrentBag<string> acknowledged, CancellationToken stop, Func<bool> dying)
    {
        using var http = Client(url, ServeTestData.RouteKey);
        for (var i = client; !stop.IsCancellationRequested; i++)
        {
            var batch = i % 4 == 0;
            var body = batch
                ? string.Join('\n', Enumerable.Range(i, 20).Select(k => ServeTestData.Records[k % ServeTestData.Records.Count]))
                : ServeTestData.Records[i % ServeTestData.Records.Count];
            string text;
            try
            {
                using var response = await http.PostAsync(batch ? "/v1/route/batch" : "/v1/route", ServeTestData.Json(body), CancellationToken.None);
                text = await response.Content.ReadAsStringAsync(CancellationToken.None);
                if (response.StatusCode != HttpStatusCode.OK)
                {
                    throw new HttpRequestException($"{(int)response.StatusCode}: {text}");
                }
            }
            catch (Exception) when (dying())
            {
                // The server was killed: this request was never acknowledged.
                return;
            }

            var json = JsonNode.Parse(text)!;
            foreach (var decision in batch ? json["decisions"]!.AsArray() : new JsonArray(json.DeepClone()))
            {
                acknowledged.Add(decision!["decision_id"]!.GetValue<string>());
            }

            if (dying())
            {
                return;
            }
        }
    }

    /// <summary>Claims 5 at a time through alternate replicas and reviews each item, until a claim comes back empty; the ids it reviewed.</summary>
    private static async Task<List<string>> WorkQueueAsync(string[] replicas, string key, string reviewer, int offset, CancellationToken ct)
    {
        var reviewed = new List<string>();
        for (var round = offset; ; round++)
        {
            using var client = Client(replicas[round % replicas.Length], key);
            using var claim = await client.PostAsJsonAsync("/v1/queues/review/claim", new { reviewer, limit = 5, lease_seconds = 600 }, ct);
            Assert.Equal(HttpStatusCode.OK, claim.StatusCode);
            var items = JsonNode.Parse(await claim.Content.ReadAsStringAsync(ct))!["items"]!.AsArray();
            if (items.Count == 0)
            {
                return reviewed;
            }

            foreach (var item in items)
            {
                var id = item!["decision_id"]!.GetValue<string>();
                using var review = await client.PostAsJsonAsync("/v1/reviews", new { decision_id = id, verdict = "True", reviewer }, ct);
                Assert.True(review.StatusCode == HttpStatusCode.OK, $"{reviewer} reviewing {id}: {(int)review.StatusCode} {await review.Content.ReadAsStringAsync(ct)}");
                reviewed.Add(id);
            }
        }
    }

    private static HttpClient Client(string url, string key)
    {
        var client = ServeTestData.Client(url, key);
        client.Timeout = TimeSpan.FromMinutes(2);
        return client;
    }

    private Task<ServeProcess> StartReplicaAsync(string name, string connectionFile)
    {
        var model = _dir.File($"model-{name}.json");
        File.Copy(ServeTestData.ModelA, model);
        return ServeProcess.StartAsync("--model", model, "--store", "postgres", "--store-connection-file", connectionFile, "--api-keys", ServeTestData.KeysFile);
    }
}
