using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Lpp.Serving.Tests;

/// <summary>
/// <c>lpp serve --shadow-model</c> through the real service on hand-written models (no ../shared), so every score is
/// known in closed form: what is stored and shown, what is refused at start, the agreement counted on <c>/metrics</c>,
/// and <c>lpp monitor</c>'s agreement and estimated costs counted by hand.
/// </summary>
public sealed class ShadowModelTests
{
    private const string Moderation = "\"labels\": [\"0\", \"1\"], \"abstain_labels\": {\"2\": \"evidence\", \"3\": \"definition\"}";

    public static TheoryData<AuditStoreKind> Stores => [AuditStoreKind.Sqlite, AuditStoreKind.Postgres];

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task Route_WithShadowOfOtherTopK_ItsScoreStoredWithTheDecisionNotAnswered(AuditStoreKind store)
    {
        // Given a server on the verbalized hand model (tau 0.68: score 1 / (1 + exp(-(v - 0.5)))) with a shadow reading
        // only topk_msp over the top 2 alternatives (score 1 / (1 + exp(-msp)), tau 0.64), and three records:
        //   k/1 v 0.95, alternatives 0.5, 0.3, 0.2: serving 0.6106 escalates; the shadow's top-2 msp is 0.5 / 0.8 =
        //       0.625, scoring 0.6514, so it trusts (over all three alternatives, the serving model's top 5, msp 0.5
        //       would score 0.6225 and escalate);
        //   k/2 v 0.30, alternatives 0.9, 0.1: serving 0.4502 escalates, the shadow scores 1 / (1 + e^-0.9) = 0.7109, trusts;
        //   k/3 v 0.95 without alternatives: the shadow relies on them, so it does not score it
        using var dir = new TempDir();
        var shadowPath = Write(dir, "shadow.json", HandModels.Linear(["topk_msp"], [1.0], [0.5], tau: 0.64, topK: 2));
        await using var host = await ServeHost.StartAsync(o => o with { ShadowModelPath = shadowPath }, store: store, modelFile: ServeTestData.HandModel);
        using var client = ServeTestData.Client(host.Url);
        var ct = TestContext.Current.CancellationToken;
        string[] records =
        [
            Record("k/1", "1", 95, null, [("1", 0.5), ("0", 0.3), ("maybe", 0.2)]),
            Record("k/2", "0", 30, null, [("0", 0.9), ("1", 0.1)]),
            Record("k/3", "1", 95, null, null),
        ];

        // When the first two are routed in a batch and the third alone, and each stored decision is looked up
        using var batch = await client.PostAsync("/v1/route/batch", new StringContent(string.Join('\n', records[..2]), Encoding.UTF8, "application/x-ndjson"), ct);
        using var single = await client.PostAsync("/v1/route", ServeTestData.Json(records[2]), ct);
        Assert.Equal(HttpStatusCode.OK, batch.StatusCode);
        Assert.Equal(HttpStatusCode.OK, single.StatusCode);
        var answers = JsonNode.Parse(await batch.Content.ReadAsStringAsync(ct))!["decisions"]!.AsArray().Select(d => d!).Append(JsonNode.Parse(await single.Content.ReadAsStringAsync(ct))!).ToList();
        var stored = new List<JsonNode>();
        foreach (var answer in answers)
        {
            stored.Add(JsonNode.Parse(await client.GetStringAsync($"/v1/decisions/{answer["decision_id"]!.GetValue<string>()}", ct))!);
        }

        // Then the answers are the serving model's, without the shadow; the stored decisions name the shadow by its
        // checksum with its score, decision and reason as computed above, and null ones where it could not score
        var checksum = JsonNode.Parse(File.ReadAllText(shadowPath))!["checksum"]!.GetValue<string>();
        Assert.All(answers, a => Assert.Null(a.AsObject()["shadow"]));
        Assert.All(answers, a => Assert.Equal("escalate", a["decision"]!.GetValue<string>()));
        Assert.Equal(HandModels.VerbalizedScore(0.95), answers[0]["score"]!.GetValue<double>(), 12);
        Assert.All(stored, s => Assert.Equal(checksum, s["shadow"]!["model"]!.GetValue<string>()));
        Assert.Equal(1 / (1 + Math.Exp(-0.625)), stored[0]["shadow"]!["score"]!.GetValue<double>(), 12);
        Assert.Equal(1 / (1 + Math.Exp(-0.9)), stored[1]["shadow"]!["score"]!.GetValue<double>(), 12);
        Assert.Equal(["trust", "trust"], stored.Take(2).Select(s => s["shadow"]!["decision"]!.GetValue<string>()));
        Assert.Equal(["confident", "confident"], stored.Take(2).Select(s => s["shadow"]!["reason"]!.GetValue<string>()));
        Assert.Null(stored[2]["shadow"]!["score"]);
        Assert.Null(stored[2]["shadow"]!["decision"]);

        // And the model card names the shadow by its checksum and threshold beside the serving model
        var card = JsonNode.Parse(await client.GetStringAsync("/v1/model", ct))!;
        Assert.Equal(host.Server.Model.Checksum, card["checksum"]!.GetValue<string>());
        Assert.Equal(checksum, card["shadow"]!["checksum"]!.GetValue<string>());
        Assert.Equal(0.64, card["shadow"]!["tau"]!.GetValue<double>());
        Assert.Equal(2, card["shadow"]!["features"]!["top_k"]!.GetValue<int>());
    }

    [Fact]
    public async Task Metrics_WithShadow_CountAgreementByHand()
    {
        // Given the server and shadow of the test above (serving tau 0.68 on v; shadow tau 0.64 on its top-2 msp), and:
        //   k/1 v 0.95, alternatives 0.5, 0.3, 0.2: serving 0.6106 escalates, shadow 0.6514 trusts: disagree;
        //   k/2 v 0.30, alternatives 0.9, 0.1: serving 0.4502 escalates, shadow 0.7109 trusts: disagree;
        //   k/4 v 0.30, alternatives 0.5, 0.5: serving 0.4502 escalates, shadow msp 0.5 scores 1 / (1 + e^-0.5) =
        //       0.6225 < 0.64, escalates: agree;
        //   k/3 v 0.95 without alternatives: the shadow does not score it: unscored
        using var dir = new TempDir();
        var shadowPath = Write(dir, "shadow.json", HandModels.Linear(["topk_msp"], [1.0], [0.5], tau: 0.64, topK: 2));
        await using var host = await ServeHost.StartAsync(o => o with { ShadowModelPath = shadowPath }, modelFile: ServeTestData.HandModel);
        using var client = ServeTestData.Client(host.Url);
        var ct = TestContext.Current.CancellationToken;
        string[] batch = [Record("k/1", "1", 95, null, [("1", 0.5), ("0", 0.3), ("maybe", 0.2)]), Record("k/2", "0", 30, null, [("0", 0.9), ("1", 0.1)])];
        string[] singles = [Record("k/4", "0", 30, null, [("0", 0.5), ("1", 0.5)]), Record("k/3", "1", 95, null, null)];

        // When the first two are routed in a batch and the others alone, and /metrics is read
        using (var answered = await client.PostAsync("/v1/route/batch", new StringContent(string.Join('\n', batch), Encoding.UTF8, "application/x-ndjson"), ct))
        {
            Assert.Equal(HttpStatusCode.OK, answered.StatusCode);
        }

        foreach (var record in singles)
        {
            using var answered = await client.PostAsync("/v1/route", ServeTestData.Json(record), ct);
            Assert.Equal(HttpStatusCode.OK, answered.StatusCode);
        }

        var metrics = PrometheusText.Parse(await client.GetStringAsync("/metrics", ct));

        // Then lpp_shadow_decisions_total counts them as above, from both paths
        Assert.Equal(1, metrics["lpp_shadow_decisions_total{result=\"agree\"}"]);
        Assert.Equal(2, metrics["lpp_shadow_decisions_total{result=\"disagree\"}"]);
        Assert.Equal(1, metrics["lpp_shadow_decisions_total{result=\"unscored\"}"]);
        Assert.Equal("counter", metrics.Types["lpp_shadow_decisions_total"]);
    }

    [Fact]
    public async Task Route_NoShadow_ModelCardAndStoredDecisionSayNull()
    {
        // Given a server without a shadow model, and one decision
        await using var host = await ServeHost.StartAsync(modelFile: ServeTestData.HandModel);
        using var client = ServeTestData.Client(host.Url);
        var ct = TestContext.Current.CancellationToken;
        using var routed = await client.PostAsync("/v1/route", ServeTestData.Json(ServeTestData.HandRecords[0]), ct);
        var id = JsonNode.Parse(await routed.Content.ReadAsStringAsync(ct))!["decision_id"]!.GetValue<string>();

        // When the card and the decision are read, then both hold "shadow": null
        var card = JsonNode.Parse(await client.GetStringAsync("/v1/model", ct))!.AsObject();
        var stored = JsonNode.Parse(await client.GetStringAsync($"/v1/decisions/{id}", ct))!.AsObject();
        Assert.True(card.ContainsKey("shadow") && card["shadow"] is null);
        Assert.True(stored.ContainsKey("shadow") && stored["shadow"] is null);

        // And /metrics has no shadow series
        Assert.DoesNotContain("lpp_shadow", await client.GetStringAsync("/metrics", ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReplaceModel_WithShadow_ShadowStaysForTheProcessLife()
    {
        // Given a server with keys, the hand model serving and a shadow at tau 0.5
        using var dir = new TempDir();
        var shadowPath = Write(dir, "shadow.json", HandModels.Verbalized(tau: 0.5));
        var checksum = JsonNode.Parse(File.ReadAllText(shadowPath))!["checksum"]!.GetValue<string>();
        await using var host = await ServeHost.StartAsync(o => o with { ShadowModelPath = shadowPath, ApiKeysPath = ServeTestData.KeysFile }, modelFile: ServeTestData.HandModel);
        using var client = ServeTestData.Client(host.Url, ServeTestData.AdminKey);
        var ct = TestContext.Current.CancellationToken;

        // When another serving model (tau 0.55) is uploaded and a record routed
        var upload = new ByteArrayContent(File.ReadAllBytes(Write(dir, "next.json", HandModels.Verbalized(tau: 0.55)))) { Headers = { ContentType = new("application/json") } };
        using var replaced = await client.PostAsync("/v1/admin/model", upload, ct);
        using var routed = await client.PostAsync("/v1/route", ServeTestData.Json(ServeTestData.HandRecords[0]), ct);
        var answer = JsonNode.Parse(await routed.Content.ReadAsStringAsync(ct))!;
        var stored = JsonNode.Parse(await client.GetStringAsync($"/v1/decisions/{answer["decision_id"]!.GetValue<string>()}", ct))!;

        // Then the new model serves (v 0.95 scores 0.6106: trusted at 0.55) and the same shadow still scores beside it
        Assert.Equal(HttpStatusCode.OK, replaced.StatusCode);
        Assert.Equal(checksum, JsonNode.Parse(await replaced.Content.ReadAsStringAsync(ct))!["shadow"]!["checksum"]!.GetValue<string>());
        Assert.Equal(0.55, answer["tau"]!.GetValue<double>());
        Assert.Equal(checksum, stored["shadow"]!["model"]!.GetValue<string>());
        Assert.Equal("trust", stored["shadow"]!["decision"]!.GetValue<string>());
    }

    public static TheoryData<string, string> Unusable => new()
    {
        { "not-json", "--shadow-model {0}: " },
        { "missing", "--shadow-model {0}: cannot read" },
        { "other-labels", "--shadow-model {0}: it was trained on labels [\"a\", \"b\"], the serving model on [\"0\", \"1\"]: it could score none of the records the serving model takes (--allow-shape-mismatch scores them anyway)" },
        { "unseen-signal", "--shadow-model {0}: it relies on logprobs (output.outcome_top_logprobs), which none of the serving model's 10 training answers had: it could score none of the records the serving model takes" },
    };

    [Theory]
    [MemberData(nameof(Unusable))]
    public async Task Start_UnusableShadow_RefusedInOneLine(string kind, string message)
    {
        // Given a serving model trained (as its shape says) on 10 moderation answers with verbalized confidence and no
        // log-probabilities, and a shadow that is not a model file, is missing, was trained on other labels, or relies
        // on log-probabilities
        using var dir = new TempDir();
        var serving = Write(dir, "serving.json", HandModels.Verbalized(tau: 0.6).WithTrainingShape(Shape(LabelSchema.Moderation, TrainingSignal.Verbalized)));
        var shadow = kind switch
        {
            "not-json" => dir.Write("shadow.json", "label,score\n1,0.5\n"),
            "missing" => dir.File("no-such-shadow.json"),
            "other-labels" => Write(dir, "shadow.json", HandModels.Verbalized(tau: 0.6).WithTrainingShape(Shape(new LabelSchema(["a", "b"]), TrainingSignal.Verbalized))),
            _ => Write(dir, "shadow.json", HandModels.Linear(["topk_msp"], [1.0], [0.5], tau: 0.6)),
        };

        // When a server starts with it
        var e = await Assert.ThrowsAsync<ServeException>(() => ServeHost.StartAsync(o => o with { ShadowModelPath = shadow }, modelFile: serving));

        // Then it is refused in one line naming the option, the file and why
        Assert.StartsWith(string.Format(System.Globalization.CultureInfo.InvariantCulture, message, shadow), e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public async Task Start_ShadowOfOtherLabelsWithAllowShapeMismatch_Serves()
    {
        // Given the serving model and a shadow trained on other labels, and --allow-shape-mismatch
        using var dir = new TempDir();
        var serving = Write(dir, "serving.json", HandModels.Verbalized(tau: 0.6).WithTrainingShape(Shape(LabelSchema.Moderation, TrainingSignal.Verbalized)));
        var shadow = Write(dir, "shadow.json", HandModels.Verbalized(tau: 0.5).WithTrainingShape(Shape(new LabelSchema(["a", "b"]), TrainingSignal.Verbalized)));

        // When it starts and routes a record, then the shadow scores it anyway (v 0.95: 0.6106, trusted at 0.5)
        await using var host = await ServeHost.StartAsync(o => o with { ShadowModelPath = shadow, AllowShapeMismatch = true }, modelFile: serving);
        using var client = ServeTestData.Client(host.Url);
        var ct = TestContext.Current.CancellationToken;
        using var routed = await client.PostAsync("/v1/route", ServeTestData.Json(ServeTestData.HandRecords[0]), ct);
        var id = JsonNode.Parse(await routed.Content.ReadAsStringAsync(ct))!["decision_id"]!.GetValue<string>();
        var stored = JsonNode.Parse(await client.GetStringAsync($"/v1/decisions/{id}", ct))!;
        Assert.Equal(HandModels.VerbalizedScore(0.95), stored["shadow"]!["score"]!.GetValue<double>(), 12);
    }

    [Fact]
    public void Serve_ShadowNotAModel_OneLineExitTwo()
    {
        // Given a shadow model file that is not JSON, when lpp serve is started with it
        using var dir = new TempDir();
        var shadow = dir.Write("shadow.json", "not a model");
        var run = LppProcess.Run("serve", "--model", ServeTestData.HandModel, "--shadow-model", shadow, "--db", dir.File("audit.db"), "--urls", "http://127.0.0.1:0");

        // Then it refuses on one line naming the option and the file, exit 2
        LppProcess.AssertUserError(run, $"--shadow-model {shadow}: ");
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task Monitor_ShadowBesideServing_AgreementAndEstimatedCostsCountedByHand(AuditStoreKind store)
    {
        // Given the verbalized hand model serving at tau 0.5 (trusts v >= 0.5), a shadow at tau 0.6 (trusts v >= 0.905),
        // every trusted decision audited (rate 1, so every weight is 1), and seven records with their truth:
        //   v 0.95 right, v 0.95 wrong: both trust                        costs (paper, c_review 0.64) 0 / 0 and 1 / 1
        //   v 0.70 right, v 0.70 wrong: serving trusts, shadow escalates  0 / 0.64 and 1 / -0.36
        //   v 0.30 right, v 0.30 wrong: both escalate                     0.64 / 0.64 and -0.36 / -0.36
        //   an evidence abstention (wrong: the truth is 1): both escalate -0.36 / -0.36
        using var dir = new TempDir();
        var serving = Write(dir, "serving.json", HandModels.Verbalized(tau: 0.5));
        var shadowPath = Write(dir, "shadow.json", HandModels.Verbalized(tau: 0.6));
        await using var host = await ServeHost.StartAsync(o => o with { ShadowModelPath = shadowPath, AuditRate = 1 }, store: store, modelFile: serving);
        using var client = ServeTestData.Client(host.Url);
        var ct = TestContext.Current.CancellationToken;
        string[] records =
        [
            Record("m/1", "1", 95, "1"), Record("m/2", "1", 95, "0"),
            Record("m/3", "1", 70, "1"), Record("m/4", "1", 70, "0"),
            Record("m/5", "0", 30, "0"), Record("m/6", "0", 30, "1"),
            Record("m/7", "2", 90, "1"),
        ];
        var truths = records.Select(r => JsonNode.Parse(r)!["truth"]!.GetValue<string>()).ToList();

        // When they are routed, every decision reviewed with its truth, and lpp monitor run on the store
        using var batch = await client.PostAsync("/v1/route/batch", new StringContent(string.Join('\n', records), Encoding.UTF8, "application/x-ndjson"), ct);
        var decisions = JsonNode.Parse(await batch.Content.ReadAsStringAsync(ct))!["decisions"]!.AsArray().Select(d => d!).ToList();
        foreach (var d in decisions)
        {
            var body = JsonSerializer.Serialize(new { decision_id = d["decision_id"]!.GetValue<string>(), verdict = truths[d["index"]!.GetValue<int>()], reviewer = "ann" });
            using var review = await client.PostAsync("/v1/reviews", ServeTestData.Json(body), ct);
            Assert.Equal(HttpStatusCode.OK, review.StatusCode);
        }

        var output = host.Dir.File("monitor");
        var run = LppProcess.Run(["monitor", .. host.StoreArguments, "--output", output]);

        // Then (by hand) the shadow scored all 7, agreed on 5, and the estimate rests on 7 reviewed decisions (4 audited
        // trusted): serving (0 + 1 + 0 + 1 + 0.64 - 0.36 - 0.36) / 7 = 1.92 / 7, shadow (0 + 1 + 0.64 - 0.36 + 0.64 -
        // 0.36 - 0.36) / 7 = 1.2 / 7
        Assert.True(run.ExitCode == 0, run.StdErr);
        var checksum = JsonNode.Parse(File.ReadAllText(shadowPath))!["checksum"]!.GetValue<string>();
        var shadow = JsonNode.Parse(File.ReadAllText(Path.Combine(output, "monitor.json")))!["models"]![decisions[0]["model"]!.GetValue<string>()]!["shadow"]![checksum]!;
        Assert.Equal(7, shadow["decisions"]!.GetValue<long>());
        Assert.Equal(0, shadow["unscored"]!.GetValue<long>());
        Assert.Equal(5.0 / 7, shadow["agreement"]!.GetValue<double>(), 12);
        Assert.Equal(7, shadow["reviewed"]!.GetValue<long>());
        Assert.Equal(4, shadow["audited_reviewed"]!.GetValue<long>());
        Assert.Equal(1.92 / 7, shadow["serving_cost"]!.GetValue<double>(), 12);
        Assert.Equal(1.2 / 7, shadow["estimated_cost"]!.GetValue<double>(), 12);
        Assert.Equal(-0.72 / 7, shadow["difference"]!.GetValue<double>(), 12);
        Assert.Equal(2, shadow["difference_ci95"]!.AsArray().Count);
        Assert.Null(shadow["estimate_missing"]);

        // And the report says the same in words
        var report = File.ReadAllText(Path.Combine(output, "report.md"));
        Assert.Contains($"### Shadow model `{checksum[..19]}`", report, StringComparison.Ordinal);
        Assert.Contains("decided as the serving model did (trust or escalate) on 71.4% of them", report, StringComparison.Ordinal);
        Assert.Contains("from 7 reviewed decisions (3 escalated, weight 1; 4 audited trusted, weight 1/audit rate)", report, StringComparison.Ordinal);
        Assert.Contains("| shadow model | 0.1714 |", report, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Monitor_ShadowWithoutAuditSample_NullEstimateSaidInWords()
    {
        // Given the hand model serving at tau 0.5 and a shadow at tau 0.6 without an audit sample: one decision trusted
        // by the serving model only (v 0.70) and one escalated by both (v 0.30), the escalation reviewed
        using var dir = new TempDir();
        var serving = Write(dir, "serving.json", HandModels.Verbalized(tau: 0.5));
        var shadowPath = Write(dir, "shadow.json", HandModels.Verbalized(tau: 0.6));
        await using var host = await ServeHost.StartAsync(o => o with { ShadowModelPath = shadowPath }, modelFile: serving);
        using var client = ServeTestData.Client(host.Url);
        var ct = TestContext.Current.CancellationToken;
        using var batch = await client.PostAsync("/v1/route/batch", new StringContent(Record("n/1", "1", 70, "1") + "\n" + Record("n/2", "0", 30, "0"), Encoding.UTF8, "application/x-ndjson"), ct);
        var escalated = JsonNode.Parse(await batch.Content.ReadAsStringAsync(ct))!["decisions"]![1]!["decision_id"]!.GetValue<string>();
        using (await client.PostAsync("/v1/reviews", ServeTestData.Json(JsonSerializer.Serialize(new { decision_id = escalated, verdict = "0", reviewer = "ann" })), ct))
        {
        }

        // When monitored
        var output = host.Dir.File("monitor");
        var run = LppProcess.Run(["monitor", .. host.StoreArguments, "--output", output]);

        // Then the costs are null, never 0, and why is said in monitor.json and in the report
        Assert.True(run.ExitCode == 0, run.StdErr);
        var shadow = JsonNode.Parse(File.ReadAllText(Path.Combine(output, "monitor.json")))!["models"]!.AsObject().Single().Value!["shadow"]!.AsObject().Single().Value!;
        Assert.Null(shadow["estimated_cost"]);
        Assert.Null(shadow["serving_cost"]);
        Assert.Null(shadow["difference_ci95"]);
        Assert.Equal(0.5, shadow["agreement"]!.GetValue<double>());
        const string why = "none of the 1 trusted decisions was reviewed through the audit sample (serve with --audit-rate), so nothing stands for them";
        Assert.Equal(why, shadow["estimate_missing"]!.GetValue<string>());
        Assert.Contains($"No estimate of either model's cost: {why}.", File.ReadAllText(Path.Combine(output, "report.md")), StringComparison.Ordinal);
    }

    private static TrainingShape Shape(LabelSchema labels, TrainingSignal signal) =>
        new(10, [labels], new Dictionary<TrainingSignal, int> { [signal] = 10 }, new HashSet<TrainingSignal> { signal }, new Dictionary<string, IReadOnlyList<string>>());

    private static string Write(TempDir dir, string name, EscalationModel model)
    {
        var path = dir.File(name);
        using var stream = File.Create(path);
        EscalationModelFile.Write(model, stream, new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        return path;
    }

    /// <summary>A moderation record answering <paramref name="outcome"/> at verbalized confidence <paramref name="confidence"/>, with its truth and alternatives (probabilities) when given.</summary>
    private static string Record(string id, string outcome, int confidence, string? truth, (string Token, double P)[]? alternatives = null)
    {
        var top = alternatives is null ? "null" : "[" + string.Join(", ", alternatives.Select(a => FormattableString.Invariant($"{{\"token\": \"{a.Token}\", \"logprob\": {Math.Log(a.P):R}}}"))) + "]";
        return FormattableString.Invariant($$"""{"id": "{{id}}", {{Moderation}}, "output": {"outcome": "{{outcome}}", "verbalized_confidence": {{confidence}}, "outcome_top_logprobs": {{top}}}, "truth": {{(truth is null ? "null" : $"\"{truth}\"")}}}""");
    }
}
