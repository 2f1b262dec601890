using System.Net;
using System.Text.Json.Nodes;

namespace Lpp.Serving.Tests;

/// <summary><c>lpp serve --costs</c>: the costs by severity in force replace the model file's, in decisions, the model card and the audit log.</summary>
public sealed class ServeCostsTests
{
    // Every test record has source.task = boolq: under these costs each is routed at the closed form of
    // r = 0.64 / 50, tau = 1 - r/2 = 0.9936 (paper form), where model A's own tau is 0.68.
    private const string BoolqCosts = """
        {"default": {"c_error": 1, "c_review": 0.64}, "by": "task", "values": {"boolq": {"c_error": 50, "c_review": 0.64}}}
        """;

    [Fact]
    public async Task Route_WithCosts_EachDecisionAtItsCostsThreshold_CardAndAuditLogShowThem()
    {
        // Given a server on model A with costs that make boolq items 50 times as costly to get wrong
        using var dir = new TempDir();
        var costsFile = dir.Write("costs.json", BoolqCosts);
        await using var host = await ServeHost.StartAsync(o => o with { CostsPath = costsFile });
        var ct = TestContext.Current.CancellationToken;
        using var client = ServeTestData.Client(host.Url);
        var plain = new Router(EscalationModelFile.Load(ServeTestData.ModelA));

        // When 100 records are routed in a batch, the model card read and one decision looked up
        using var batch = await client.PostAsync("/v1/route/batch", new StringContent(string.Join('\n', ServeTestData.Records.Take(100)), System.Text.Encoding.UTF8, "application/x-ndjson"), ct);
        var answer = JsonNode.Parse(await batch.Content.ReadAsStringAsync(ct))!;
        var decisions = answer["decisions"]!.AsArray().Select(d => d!).ToList();
        var card = JsonNode.Parse(await client.GetStringAsync("/v1/model", ct))!;

        // Then every confident-or-not decision names the costs that applied and their threshold, and is trusted exactly
        // when its score reaches 0.9936: items model A alone would trust (score >= 0.68) are escalated under these costs
        Assert.Equal(100, decisions.Count);
        var routed = decisions.Where(d => d["reason"]!.GetValue<string>() is "confident" or "low_confidence").ToList();
        Assert.NotEmpty(routed);
        Assert.All(routed, d =>
        {
            Assert.Equal("boolq", d["costs"]!.GetValue<string>());
            Assert.Equal(0.9936, d["tau"]!.GetValue<double>(), 1e-12);
            Assert.Equal(d["score"]!.GetValue<double>() >= 0.9936, d["decision"]!.GetValue<string>() == "trust");
        });
        var moved = routed.Count(d => d["decision"]!.GetValue<string>() == "escalate" && d["score"]!.GetValue<double>() >= plain.Model.Tau);
        Assert.True(moved > 0, "no decision escalated that model A's own tau would trust");

        // And the model served is model A with these costs: its own checksum (named by every decision), the card shows
        // the costs and where they came from
        Assert.NotEqual(EscalationModelFile.Checksum(plain.Model), card["checksum"]!.GetValue<string>());
        Assert.Equal(card["checksum"]!.GetValue<string>(), answer["model"]!.GetValue<string>());
        Assert.Equal("serve --costs", card["severity_costs_from"]!.GetValue<string>());
        Assert.Equal(50, card["severity_costs"]!["values"]!["boolq"]!["c_error"]!.GetValue<double>());
        Assert.Equal(plain.Model.Tau, card["tau"]!.GetValue<double>());

        // And the review queue orders by the expected cost of trusting wrongly in each item's own costs: 50 × (1 − score)
        var queue = JsonNode.Parse(await client.GetStringAsync("/v1/queues/review?limit=1000", ct))!["items"]!.AsArray();
        Assert.NotEmpty(queue);
        Assert.All(queue, i => Assert.Equal(50 * (1 - i!["score"]!.GetValue<double>()), i!["cost"]!.GetValue<double>(), 1e-9));

        // And a stored decision is rebuilt, byte for byte as answered, from the model file the store keeps
        var first = routed[0];
        var found = JsonNode.Parse(await client.GetStringAsync($"/v1/decisions/{first["decision_id"]!.GetValue<string>()}", ct))!;
        Assert.Equal(first.ToJsonString(), found["decision"]!.ToJsonString());
    }

    [Fact]
    public async Task Start_WithoutCosts_CardSaysNothingOfThem()
    {
        // Given a server on model A (trained without costs by severity) and no --costs
        await using var host = await ServeHost.StartAsync();
        using var client = ServeTestData.Client(host.Url);

        // When its card is read, then it has no severity costs and its checksum is the file's
        var card = JsonNode.Parse(await client.GetStringAsync("/v1/model", TestContext.Current.CancellationToken))!;
        Assert.Null(card["severity_costs"]);
        Assert.Null(card["severity_costs_from"]);
        Assert.Equal(EscalationModelFile.Checksum(EscalationModelFile.Load(ServeTestData.ModelA)), card["checksum"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("""{"by": "task"}""", "no \"default\" costs")]
    [InlineData("""{"default": {"c_error": 1, "c_review": -0.5}}""", "default.c_review must be a positive number (got -0.5)")]
    [InlineData("""{"default": {"c_error": 1, "c_review": 0.64}, "by": "task", "values": {"boolq": {"c_error": 0, "c_review": 0.64}}}""", "values.boolq.c_error must be a positive number (got 0)")]
    [InlineData("not json", "invalid JSON")]
    public void Serve_BadCostsFile_OneLineNamingTheFileAndField(string json, string message)
    {
        // Given a costs file with a problem
        using var dir = new TempDir();
        var costs = dir.Write("costs.json", json);

        // When lpp serve is started with it, then it refuses on one line naming the option, the file and the field (exit 2)
        var run = LppProcess.Run("serve", "--model", ServeTestData.ModelA, "--db", dir.File("audit.db"), "--urls", "http://127.0.0.1:0", "--costs", costs);
        LppProcess.AssertUserError(run, $"--costs {costs}: ");
        Assert.Contains(message, run.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public void Serve_CostsFileMissing_OneLineNamingIt()
    {
        using var dir = new TempDir();
        var missing = dir.File("no-such-costs.json");

        var run = LppProcess.Run("serve", "--model", ServeTestData.ModelA, "--db", dir.File("audit.db"), "--urls", "http://127.0.0.1:0", "--costs", missing);

        LppProcess.AssertUserError(run, $"--costs {missing}: cannot read");
    }

    [Fact]
    public async Task Upload_WithCosts_TheNewModelIsServedWithTheSameCosts()
    {
        // Given a server with --costs and admin keys, when model B is uploaded
        using var dir = new TempDir();
        var costsFile = dir.Write("costs.json", BoolqCosts);
        await using var host = await ServeHost.StartAsync(o => o with { CostsPath = costsFile, ApiKeysPath = ServeTestData.KeysFile });
        using var admin = ServeTestData.Client(host.Url, ServeTestData.AdminKey);
        using var upload = await admin.PostAsync("/v1/admin/model", new ByteArrayContent(ServeTestData.ModelBBytes) { Headers = { ContentType = new("application/json") } }, TestContext.Current.CancellationToken);

        // Then the card of the model now served shows B's tau with the serve costs in force
        Assert.Equal(HttpStatusCode.OK, upload.StatusCode);
        var card = JsonNode.Parse(await upload.Content.ReadAsStringAsync(TestContext.Current.CancellationToken))!;
        Assert.Equal(EscalationModelFile.Load(ServeTestData.ModelBPath).Tau, card["tau"]!.GetValue<double>());
        Assert.Equal("serve --costs", card["severity_costs_from"]!.GetValue<string>());
    }
}
