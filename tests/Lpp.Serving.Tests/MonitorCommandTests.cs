using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Lpp.Serving.Tests;

/// <summary><c>lpp monitor</c> end to end: decisions through the real service on both stores, reviews, then the report.</summary>
public sealed class MonitorCommandTests
{
    public static TheoryData<AuditStoreKind> Stores => [AuditStoreKind.Sqlite, AuditStoreKind.Postgres];

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task Monitor_AuditedAndReviewedTraffic_ReportsWhatTheStoreHolds(AuditStoreKind store)
    {
        // Given a server auditing half of its trusted decisions, 203 records routed in one batch, the first 10 audited
        // decisions and the first 3 low-confidence escalations reviewed with the records' truth
        await using var host = await ServeHost.StartAsync(o => o with { AuditRate = 0.5 }, store: store);
        var ct = TestContext.Current.CancellationToken;
        using var client = ServeTestData.Client(host.Url);
        using var batch = await client.PostAsync("/v1/route/batch", new StringContent(string.Join('\n', ServeTestData.Records), Encoding.UTF8, "application/x-ndjson"), ct);
        var decisions = JsonNode.Parse(await batch.Content.ReadAsStringAsync(ct))!["decisions"]!.AsArray().Select(d => d!).ToList();
        var truth = ServeTestData.Records.Select(r => JsonNode.Parse(r)!["truth"]?.GetValue<string>()).ToList();
        var audited = decisions.Where(d => d["audit"] is not null).ToList();
        var escalated = decisions.Where(d => d["reason"]!.GetValue<string>() == "low_confidence" && truth[d["index"]!.GetValue<int>()] is not null).Take(3).ToList();
        foreach (var d in audited.Take(10).Concat(escalated))
        {
            var body = JsonSerializer.Serialize(new { decision_id = d["decision_id"]!.GetValue<string>(), verdict = truth[d["index"]!.GetValue<int>()], reviewer = "ann" });
            using var review = await client.PostAsync("/v1/reviews", ServeTestData.Json(body), ct);
            Assert.Equal(System.Net.HttpStatusCode.OK, review.StatusCode);
        }

        // When lpp monitor runs with a PSI threshold nothing can stay under, strictly, and again without --strict
        var output = host.Dir.File("monitor");
        var strict = LppProcess.Run(["monitor", .. host.StoreArguments, "--output", output, "--max-psi", "1e-12", "--strict"]);
        var lenient = LppProcess.Run(["monitor", .. host.StoreArguments, "--output", output, "--max-psi", "1e-12"]);

        // Then --strict makes the alerts exit code 1, and without it the run succeeds
        Assert.True(strict.ExitCode == 1, strict.StdErr);
        Assert.True(lenient.ExitCode == 0, lenient.StdErr);
        Assert.Contains("monitor: alert: sha256:", strict.StdErr, StringComparison.Ordinal);

        // And monitor.json holds the store's counts, computed here from the answers and the records' truth
        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(output, "monitor.json")))!;
        var checksum = decisions[0]["model"]!.GetValue<string>();
        var model = json["models"]![checksum]!;
        var errors = audited.Take(10).Count(d => truth[d["index"]!.GetValue<int>()] != d["outcome"]!.GetValue<string>());
        var trustedCount = decisions.Count(d => d["decision"]!.GetValue<string>() == "trust");
        Assert.Equal(203, json["window"]!["decisions"]!.GetValue<long>());
        Assert.Equal(203, model["decisions"]!.GetValue<long>());
        Assert.Equal(1 - ((double)trustedCount / 203), model["escalation_ratio"]!.GetValue<double>(), 1e-12);
        var audit = model["audit"]!;
        Assert.Equal(0.5, audit["rate"]!.GetValue<double>());
        Assert.Equal(audited.Count, audit["sampled"]!.GetValue<long>());
        Assert.Equal(10, audit["reviewed"]!.GetValue<long>());
        Assert.Equal(errors, audit["errors"]!.GetValue<long>());
        Assert.Equal(errors / 10.0, audit["trusted_error_rate"]!.GetValue<double>(), 1e-12);
        Assert.Equal(2, audit["ci95"]!.AsArray().Count);
        var profile = JsonNode.Parse(File.ReadAllText(ServeTestData.ModelA))!["training_profile"]!;
        Assert.Equal(profile["trusted_error_rate"]!.GetValue<double>(), audit["expected"]!.GetValue<double>());
        Assert.Equal(audited.Count - 10, model["queues"]!["audit"]!["pending"]!.GetValue<long>());
        Assert.Equal(profile["features"]!.AsArray().Count, model["drift"]!["features"]!.AsObject().Count);
        Assert.True(model["drift"]!["score_psi"]!.GetValue<double>() > 1e-12);
        var llmRight = escalated.Count(d => truth[d["index"]!.GetValue<int>()] == d["outcome"]!.GetValue<string>());
        Assert.Equal(llmRight / 3.0, model["overturn"]!["low_confidence"]!.GetValue<double>(), 1e-12);
        var shifted = model["drift"]!["features"]!.AsObject().Count(f => f.Value is not null && f.Value.GetValue<double>() > 1e-12);
        Assert.Equal(1 + shifted, json["alerts"]!.AsArray().Count);
        Assert.All(json["alerts"]!.AsArray(), a => Assert.Equal(checksum, a!["model"]!.GetValue<string>()));

        // And the report exists in Markdown and as one self-contained HTML page with its plots embedded
        Assert.StartsWith("# Monitoring report", File.ReadAllText(Path.Combine(output, "report.md")), StringComparison.Ordinal);
        Assert.Contains("data:image/png;base64,", File.ReadAllText(Path.Combine(output, "report.html")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Monitor_ModelWithoutProfile_SaidOnceAndNoDrift()
    {
        // Given a server whose model file has no training profile (as files from before profiles), and 50 decisions
        using var dir = new TempDir();
        var old = dir.File("old-model.json");
        using (var stream = File.Create(old))
        {
            EscalationModelFile.Write(EscalationModelFile.Load(ServeTestData.ModelA).WithProfile(null), stream, new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero));
        }

        await using var host = await ServeHost.StartAsync(o => o with { ModelPath = old });
        using var client = ServeTestData.Client(host.Url);
        using (await client.PostAsync("/v1/route/batch", new StringContent(string.Join('\n', ServeTestData.Records.Take(50)), Encoding.UTF8, "application/x-ndjson"), TestContext.Current.CancellationToken))
        {
        }

        // When monitored
        var output = host.Dir.File("monitor");
        var run = LppProcess.Run(["monitor", .. host.StoreArguments, "--output", output]);

        // Then it runs, says once that the model has no profile, and reports no drift
        Assert.True(run.ExitCode == 0, run.StdErr);
        Assert.Single(run.StdErr.Split('\n'), l => l.Contains("has no training profile", StringComparison.Ordinal));
        var model = JsonNode.Parse(File.ReadAllText(Path.Combine(output, "monitor.json")))!["models"]!.AsObject().Single().Value!;
        Assert.Equal(50, model["decisions"]!.GetValue<long>());
        Assert.Null(model["drift"]);
        Assert.False(model["training_profile"]!.GetValue<bool>());
        Assert.Null(model["audit"]!["expected"]);
    }

    [Theory]
    [InlineData("--by", "week", "--by week: must be day or hour")]
    [InlineData("--max-trusted-error", "1.5", "--max-trusted-error must be a number between 0 and 1 (got 1.5)")]
    [InlineData("--max-psi", "-1", "--max-psi must be a number above 0 (got -1)")]
    [InlineData("--since", "yesterday", "--since 'yesterday' is not an ISO 8601 time")]
    public async Task Monitor_BadOption_OneLineExitTwo(string option, string value, string message)
    {
        // Given an existing audit database
        using var dir = new TempDir();
        var db = dir.File("audit.db");
        await SqliteAuditStore.Open(db).DisposeAsync();

        // When lpp monitor gets a bad value
        var run = LppProcess.Run(["monitor", "--db", db, "--output", dir.File("out"), option, value]);

        // Then one line names it, exit code 2
        Assert.Equal(2, run.ExitCode);
        Assert.Contains(message, run.StdErr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", run.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public void Monitor_MissingDatabase_OneLineExitTwo()
    {
        using var dir = new TempDir();
        var run = LppProcess.Run(["monitor", "--db", dir.File("none.db"), "--output", dir.File("out")]);
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("no such file", run.StdErr, StringComparison.Ordinal);
    }
}
