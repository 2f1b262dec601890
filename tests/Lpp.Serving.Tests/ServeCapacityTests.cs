using System.Text;
using System.Text.Json.Nodes;

namespace Lpp.Serving.Tests;

/// <summary><c>lpp serve --capacity</c> over HTTP on a clock that moves only when told: admission, answers, metrics, audit log and monitor.</summary>
public sealed class ServeCapacityTests
{
    private static readonly DateTimeOffset Epoch = new(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);

    [Fact]
    public async Task Route_OverCapacity_SmallestSavingsTrustedInstead_CountedMarkedAndRebuilt()
    {
        // Given four records model A escalates on their score, s1 < s2 < s3 < s4 (so their expected savings, all in
        // model A's costs, fall in that order: saving = 2(1 - s) - 0.64, paper form), and a server admitting one
        // escalation to review per hour, started an hour before the traffic (so a whole window has been observed)
        var plain = new Router(EscalationModelFile.Load(ServeTestData.ModelA));
        var escalated = ServeTestData.Records
            .Select(r => (Json: r, Decision: plain.Route(new DecisionRecordParser().Parse(Encoding.UTF8.GetBytes(r)))))
            .Where(r => r.Decision.Reason == RoutingReason.LowConfidence)
            .DistinctBy(r => r.Decision.Score)
            .OrderBy(r => r.Decision.Score)
            .ToList();
        Assert.True(escalated.Count >= 4, "the test records hold fewer than four low-confidence escalations");
        var (s1, s2, s3, s4) = (escalated[0].Json, escalated[1].Json, escalated[2].Json, escalated[escalated.Count - 1].Json);
        var clock = new ManualTimeProvider(Epoch);
        await using var host = await ServeHost.StartAsync(o => o with { Capacity = ReviewCapacity.Parse("review=1/h") }, clock);
        var ct = TestContext.Current.CancellationToken;
        using var client = ServeTestData.Client(host.Url);
        async Task<JsonNode> Route(string record, double seconds = 1)
        {
            clock.Advance(TimeSpan.FromSeconds(seconds));
            using var response = await client.PostAsync("/v1/route", ServeTestData.Json(record), ct);
            return JsonNode.Parse(await response.Content.ReadAsStringAsync(ct))!;
        }

        clock.Advance(TimeSpan.FromHours(1));

        // When, by hand (W = 1 h): at W + 1 s, s1 is offered (nothing before it): admitted; at W + 2 s, s3: the hour's
        // one place is taken: trusted instead; at 2W + 1 s, s1 has left the trailing hour (W + 1 s <= 2W + 1 s - W) and
        // s3 has not: s4 is offered with room in the queue, but the threshold is now s3's saving (the largest of the
        // window's offers), which s4's is below: trusted instead; at 2W + 1.5 s s2, worth more than s3: admitted
        var a = await Route(s1);
        var b = await Route(s3);
        clock.Advance(TimeSpan.FromHours(1) - TimeSpan.FromSeconds(2));
        var c = await Route(s4);
        var d = await Route(s2, seconds: 0.5);
        var metrics = await client.GetStringAsync("/metrics", ct);

        // Then
        Assert.Equal(("escalate", "low_confidence", "review"), Shape(a));
        Assert.Equal(("trust", "over_capacity", "auto"), Shape(b));
        Assert.Equal(("trust", "over_capacity", "auto"), Shape(c));
        Assert.Equal(("escalate", "low_confidence", "review"), Shape(d));

        // And the score and tau are the model's, the queue holds only the admitted two, and /metrics counts the two
        // trusted instead, the place used in the trailing hour and the capacity
        Assert.Equal(escalated[^1].Decision.Score, c["score"]!.GetValue<double>());
        var queue = JsonNode.Parse(await client.GetStringAsync("/v1/queues/review?limit=10", ct))!;
        Assert.Equal(
            new[] { a, d }.Select(x => x["decision_id"]!.GetValue<string>()).Order(),
            queue["items"]!.AsArray().Select(i => i!["decision_id"]!.GetValue<string>()).Order());
        Assert.Contains("lpp_over_capacity_total{queue=\"review\"} 2\n", metrics, StringComparison.Ordinal);
        Assert.Contains("lpp_capacity_used{queue=\"review\"} 1\n", metrics, StringComparison.Ordinal);
        Assert.Contains("lpp_capacity_per_hour{queue=\"review\"} 1\n", metrics, StringComparison.Ordinal);
        Assert.Contains("lpp_decisions_total{decision=\"trust\",queue=\"auto\",reason=\"over_capacity\"} 2\n", metrics, StringComparison.Ordinal);

        // And a decision trusted over capacity is found in the audit log as answered (rebuilt and checked against the model)
        var found = JsonNode.Parse(await client.GetStringAsync($"/v1/decisions/{c["decision_id"]!.GetValue<string>()}", ct))!;
        Assert.Equal(c.ToJsonString(), found["decision"]!.ToJsonString());

        // And lpp monitor counts them per model
        var output = host.Dir.File("monitor");
        var run = LppProcess.Run(["monitor", .. host.StoreArguments, "--output", output]);
        Assert.True(run.ExitCode == 0, run.StdErr);
        var model = JsonNode.Parse(File.ReadAllText(Path.Combine(output, "monitor.json")))!["models"]!.AsObject().Single().Value!;
        Assert.Equal(2, model["over_capacity"]!.GetValue<long>());
        Assert.Equal(0.5, model["escalation_ratio"]!.GetValue<double>());
    }

    [Fact]
    public async Task Route_Abstentions_AlwaysEscalatedWhateverTheCapacity()
    {
        // Given a server admitting one escalation an hour to each queue, and the test records' evidence abstention,
        // definition abstention and unparseable answer, each sent twice
        var clock = new ManualTimeProvider(Epoch);
        await using var host = await ServeHost.StartAsync(o => o with { Capacity = ReviewCapacity.Parse("review=1/h,senior_review=1/h,policy_review=1/h") }, clock);
        var ct = TestContext.Current.CancellationToken;
        using var client = ServeTestData.Client(host.Url);
        var forced = string.Join('\n', ServeTestData.Records.TakeLast(3));
        var decisions = new List<JsonNode>();
        for (var i = 0; i < 2; i++)
        {
            using var batch = await client.PostAsync("/v1/route/batch", new StringContent(forced, Encoding.UTF8, "application/x-ndjson"), ct);
            decisions.AddRange(JsonNode.Parse(await batch.Content.ReadAsStringAsync(ct))!["decisions"]!.AsArray().Select(x => x!.DeepClone()));
        }

        // Then all six are escalated (there is no answer to trust), beyond the capacity, and none is counted over capacity
        Assert.Equal(6, decisions.Count);
        Assert.All(decisions, x => Assert.Equal("escalate", x!["decision"]!.GetValue<string>()));
        Assert.Equal(0, host.Metric("lpp_over_capacity_total{queue=\"review\"}"));
        Assert.Equal(2, host.Metric("lpp_capacity_used{queue=\"senior_review\"}"));
    }

    private static (string, string, string) Shape(JsonNode d) =>
        (d["decision"]!.GetValue<string>(), d["reason"]!.GetValue<string>(), d["queue"]!.GetValue<string>());
}
