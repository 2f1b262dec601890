using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Lpp.Serving.Tests;

/// <summary><c>lpp serve --audit-rate</c> over HTTP on both stores: the answer, the audit queue, the stored rate.</summary>
public sealed class AuditRateTests
{
    public static TheoryData<AuditStoreKind> Stores => [AuditStoreKind.Sqlite, AuditStoreKind.Postgres];

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task Route_AuditRate_SampledTrustedAnsweredTrustAndQueuedForAudit(AuditStoreKind store)
    {
        // Given a server auditing 30% of trusted decisions, and 100 records routed one by one and 100 in a batch
        await using var host = await ServeHost.StartAsync(o => o with { AuditRate = 0.3 }, store: store);
        var ct = TestContext.Current.CancellationToken;
        using var client = ServeTestData.Client(host.Url);
        var answers = new List<JsonNode>();
        foreach (var record in ServeTestData.Records.Take(100))
        {
            using var response = await client.PostAsync("/v1/route", ServeTestData.Json(record), ct);
            answers.Add(JsonNode.Parse(await response.Content.ReadAsStringAsync(ct))!);
        }

        using (var batch = await client.PostAsync("/v1/route/batch", new StringContent(string.Join('\n', ServeTestData.Records.Skip(100).Take(100)), System.Text.Encoding.UTF8, "application/x-ndjson"), ct))
        {
            answers.AddRange(JsonNode.Parse(await batch.Content.ReadAsStringAsync(ct))!["decisions"]!.AsArray().Select(d => d!.DeepClone()));
        }

        // When the audit queue is read and claimed, and its first item reviewed
        using var queue = await client.GetAsync("/v1/queues/audit?limit=1000", ct);
        var queued = JsonNode.Parse(await queue.Content.ReadAsStringAsync(ct))!;
        using var claim = await client.PostAsync("/v1/queues/audit/claim", ServeTestData.Json("""{"reviewer": "ann", "limit": 1000}"""), ct);
        var claimed = JsonNode.Parse(await claim.Content.ReadAsStringAsync(ct))!["items"]!.AsArray();
        var firstAudit = claimed[0]!["decision_id"]!.GetValue<string>();
        var verdict = claimed[0]!["record"]!["labels"]![0]!.GetValue<string>();
        using var review = await client.PostAsync("/v1/reviews", ServeTestData.Json(JsonSerializer.Serialize(new { decision_id = firstAudit, verdict, reviewer = "ann" })), ct);
        using var lookup = await client.GetAsync($"/v1/decisions/{firstAudit}", ct);

        // Then exactly the trusted decisions whose id hashes below 0.3 say "audit": true and are still trusted (queue auto)
        var expected = answers.Where(a => a["decision"]!.GetValue<string>() == "trust" && AuditSampling.Hash(Guid.ParseExact(a["decision_id"]!.GetValue<string>(), "N")) < 0.3)
            .Select(a => a["decision_id"]!.GetValue<string>()).ToHashSet();
        var flagged = answers.Where(a => a["audit"]?.GetValue<bool>() == true).ToList();
        Assert.InRange(expected.Count, 5, 195);
        Assert.Equal(expected, flagged.Select(a => a["decision_id"]!.GetValue<string>()).ToHashSet());
        Assert.All(flagged, a => Assert.Equal(("trust", "auto"), (a["decision"]!.GetValue<string>(), a["queue"]!.GetValue<string>())));
        Assert.DoesNotContain(answers, a => a["audit"] is { } flag && !flag.GetValue<bool>());

        // And the audit queue holds exactly those, claimable and reviewable like the others
        Assert.Equal(expected.Count, queued["pending"]!.GetValue<long>());
        Assert.Equal(expected, queued["items"]!.AsArray().Select(i => i!["decision_id"]!.GetValue<string>()).ToHashSet());
        Assert.Equal(expected.Count, claimed.Count);
        Assert.Equal(HttpStatusCode.OK, review.StatusCode);
        Assert.Equal(expected.Count - 1, host.Metric("lpp_queue_pending{queue=\"audit\"}"));

        // And the stored decision rebuilds the answer with its audit flag, and the rate in force is kept with each decision
        var found = JsonNode.Parse(await lookup.Content.ReadAsStringAsync(ct))!;
        Assert.True(found["decision"]!["audit"]!.GetValue<bool>());
        Assert.Equal(verdict, found["review"]!["verdict"]!.GetValue<string>());
        var exported = host.Dir.File("audit.jsonl");
        var run = LppProcess.Run(["audit", "export", .. host.StoreArguments, "--output", exported]);
        Assert.True(run.ExitCode == 0, run.StdErr);
        var lines = File.ReadAllLines(exported).Select(l => JsonNode.Parse(l)!).ToList();
        Assert.Equal(200, lines.Count);
        Assert.Equal(expected, lines.Where(l => l["decision"]!["audit"]?.GetValue<bool>() == true).Select(l => l["decision_id"]!.GetValue<string>()).ToHashSet());
        Assert.All(lines, l => Assert.Equal(0.3, l["audit_rate"]!.GetValue<double>()));

        // And when an escalated decision and a trusted one not sampled are reviewed too, the feedback export weighs
        // each reviewed record by the inverse of its chance of review: 1 escalated, 1/0.3 audited; the unsampled
        // trusted one has no known chance and is left out, counted
        var escalated = answers.First(a => a["decision"]!.GetValue<string>() == "escalate")["decision_id"]!.GetValue<string>();
        var unsampled = answers.First(a => a["decision"]!.GetValue<string>() == "trust" && a["audit"] is null)["decision_id"]!.GetValue<string>();
        foreach (var id in new[] { escalated, unsampled })
        {
            using var more = await client.PostAsync("/v1/reviews", ServeTestData.Json(JsonSerializer.Serialize(new { decision_id = id, verdict, reviewer = "ann" })), ct);
            Assert.Equal(HttpStatusCode.OK, more.StatusCode);
        }

        var labeled = host.Dir.File("labeled.jsonl");
        run = LppProcess.Run(["feedback", "export", .. host.StoreArguments, "--output", labeled]);
        Assert.True(run.ExitCode == 0, run.StdErr);
        var records = File.ReadAllLines(labeled).Select(l => JsonNode.Parse(l)!).ToList();
        string RecordId(string decisionId) => lines.Single(l => l["decision_id"]!.GetValue<string>() == decisionId)["record"]!["id"]!.GetValue<string>();
        Assert.Equal([(RecordId(firstAudit), 1 / 0.3), (RecordId(escalated), 1.0)], records.Select(r => (r["id"]!.GetValue<string>(), r["weight"]!.GetValue<double>())));
        Assert.Contains("3 reviews, 2 labeled records; 1 reviews of trusted decisions not sampled for audit left out", run.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_AuditRateOutsideZeroToOne_MessageNamesTheOption()
    {
        // Given audit rates outside [0, 1] and NaN
        foreach (var rate in new[] { -0.1, 1.5, double.NaN })
        {
            var options = new ServeOptions { ModelPath = "m.json", AuditRate = rate };

            // When validated, then the message names the option and the range
            var e = Assert.Throws<ArgumentOutOfRangeException>(options.Validate);
            Assert.StartsWith("--audit-rate must be a number from 0 to 1", e.Message, StringComparison.Ordinal);
        }
    }
}
