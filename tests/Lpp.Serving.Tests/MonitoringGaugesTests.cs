using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Lpp.Serving.Tests;

/// <summary><c>lpp_drift_psi{feature}</c> and <c>lpp_trusted_error_estimate</c> on <c>/metrics</c>, over the sliding window.</summary>
public sealed class MonitoringGaugesTests
{
    private static readonly DateTimeOffset Epoch = new(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);

    [Fact]
    public async Task Metrics_AuditedReviewsAndDrift_OverTheLastHourOnly()
    {
        // Given a server auditing every trusted decision on a clock that moves only when told, and 100 records routed
        var clock = new ManualTimeProvider(Epoch);
        await using var host = await ServeHost.StartAsync(o => o with { AuditRate = 1 }, clock);
        var ct = TestContext.Current.CancellationToken;
        using var client = ServeTestData.Client(host.Url);
        var records = ServeTestData.Records.Take(100).ToList();
        using var batch = await client.PostAsync("/v1/route/batch", new StringContent(string.Join('\n', records), Encoding.UTF8, "application/x-ndjson"), ct);
        var audited = JsonNode.Parse(await batch.Content.ReadAsStringAsync(ct))!["decisions"]!.AsArray().Where(d => d!["audit"] is not null).Take(4).ToList();

        // When four audited decisions are reviewed, three with the LLM's own answer and one with the other label
        for (var i = 0; i < 4; i++)
        {
            var d = audited[i]!;
            var outcome = d["outcome"]!.GetValue<string>();
            var labels = JsonNode.Parse(records[d["index"]!.GetValue<int>()])!["labels"]!.AsArray().Select(l => l!.GetValue<string>()).ToList();
            var verdict = i < 3 ? outcome : labels.First(l => l != outcome);
            using var review = await client.PostAsync("/v1/reviews", ServeTestData.Json(JsonSerializer.Serialize(new { decision_id = d["decision_id"]!.GetValue<string>(), verdict, reviewer = "ann" })), ct);
            Assert.Equal(System.Net.HttpStatusCode.OK, review.StatusCode);
        }

        var now = Gauges(host);
        clock.Advance(TimeSpan.FromSeconds(3_600 + 60));
        var later = Gauges(host);

        // Then the estimate is 1 wrong of 4 reviewed = 0.25, and the score's PSI is what the core's DriftCounter gives
        // for the same 100 records (an independent count of the same bins)
        Assert.Equal(0.25, now["lpp_trusted_error_estimate"]);
        Assert.Equal(4, now["lpp_trusted_error_reviewed"]);
        AssertDriftAsCountedAtOnce(records, now);

        // And an hour later the window is empty: no estimate (NaN), nothing reviewed, no drift gauges
        Assert.True(double.IsNaN(later["lpp_trusted_error_estimate"]));
        Assert.Equal(0, later["lpp_trusted_error_reviewed"]);
        Assert.DoesNotContain(later.Keys, k => k.StartsWith("lpp_drift_psi", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Metrics_DriftOfSingleAndBatchRequests_SameAsOneIndependentCount()
    {
        // Given a server, 60 records routed one request each, one after another (so the requests' tallies are reused
        // after each merge), then a batch of 40 and 10 more single records
        await using var host = await ServeHost.StartAsync(time: new ManualTimeProvider(Epoch));
        var ct = TestContext.Current.CancellationToken;
        using var client = ServeTestData.Client(host.Url);
        var records = ServeTestData.Records.Take(110).ToList();
        foreach (var record in records.Take(60))
        {
            using var single = await client.PostAsync("/v1/route", ServeTestData.Json(record), ct);
            Assert.Equal(System.Net.HttpStatusCode.OK, single.StatusCode);
        }

        using (var batch = await client.PostAsync("/v1/route/batch", new StringContent(string.Join('\n', records.Skip(60).Take(40)), Encoding.UTF8, "application/x-ndjson"), ct))
        {
            Assert.Equal(System.Net.HttpStatusCode.OK, batch.StatusCode);
        }

        foreach (var record in records.Skip(100))
        {
            using var single = await client.PostAsync("/v1/route", ServeTestData.Json(record), ct);
            Assert.Equal(System.Net.HttpStatusCode.OK, single.StatusCode);
        }

        // When the gauges are read
        var gauges = Gauges(host);

        // Then every PSI is what the core's DriftCounter gives for the same 110 records counted at once
        AssertDriftAsCountedAtOnce(records, gauges);
    }

    /// <summary>Every drift gauge equals the PSI the core's <see cref="DriftCounter"/> gives for <paramref name="records"/> under model A (an independent count of the same bins), to 1e-9.</summary>
    private static void AssertDriftAsCountedAtOnce(IEnumerable<string> records, Dictionary<string, double> gauges)
    {
        var model = EscalationModelFile.Load(ServeTestData.ModelA);
        var drift = new DriftCounter(model.Profile!);
        var extractor = model.CreateExtractor();
        foreach (var record in records)
        {
            var features = extractor.Extract(new DecisionRecordParser().Parse(Encoding.UTF8.GetBytes(record)));
            drift.Add(model.Score(features), features);
        }

        Assert.Equal(drift.ScorePsi, gauges["lpp_drift_psi{feature=\"score\"}"], 1e-9);
        foreach (var (feature, psi) in drift.FeaturePsi())
        {
            Assert.Equal(psi, gauges[$"lpp_drift_psi{{feature=\"{feature}\"}}"], 1e-9);
        }
    }

    private static Dictionary<string, double> Gauges(ServeHost host)
    {
        using var client = ServeTestData.Client(host.Url);
        var text = client.GetStringAsync("/metrics").GetAwaiter().GetResult();
        return PrometheusText.Parse(text).Samples
            .Where(m => m.Key.StartsWith("lpp_drift_psi", StringComparison.Ordinal) || m.Key.StartsWith("lpp_trusted_error", StringComparison.Ordinal))
            .ToDictionary();
    }
}
