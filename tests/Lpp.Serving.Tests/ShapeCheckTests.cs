using System.Net;
using System.Text.Json.Nodes;

namespace Lpp.Serving.Tests;

/// <summary>
/// A record the served model was not trained for (other labels, no log-probabilities where its training records all
/// had them) is refused with 422 naming the field, as <c>lpp route</c> rejects it, unless --allow-shape-mismatch.
/// The model is trained on gpt-4o BoolQ records, which all carry log-probabilities and the labels False/True.
/// </summary>
public sealed class ShapeCheckTests
{
    [Theory]
    [InlineData("labels", "labels")]
    [InlineData("logprobs", "output.outcome_top_logprobs")]
    public async Task Route_RecordTheModelWasNotTrainedFor_422NamingTheFieldAndNothingStored(string change, string field)
    {
        // Given the served gpt-4o model and a record changed so the model was not trained for it
        await using var host = await ServeHost.StartAsync();
        using var client = ServeTestData.Client(host.Url);
        var ct = TestContext.Current.CancellationToken;

        // When it is routed
        using var response = await client.PostAsync("/v1/route", ServeTestData.Json(Changed(change)), ct);

        // Then 422 with a problem naming the field; no decision was counted
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync(ct))!;
        Assert.Equal(field, problem["field"]!.GetValue<string>());
        Assert.Contains("--allow-shape-mismatch", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(1, host.Metric("lpp_rejected_requests_total{status=\"422\"}"));
        Assert.Equal(0, Decisions(host));
    }

    [Fact]
    public async Task Batch_OneRecordNotFit_RejectedByIndexAndTheRestAnswered()
    {
        // Given a batch of a fitting record, one with other labels, and another fitting record
        await using var host = await ServeHost.StartAsync();
        using var client = ServeTestData.Client(host.Url);
        var ct = TestContext.Current.CancellationToken;
        var body = string.Join('\n', ServeTestData.Records[0], Changed("labels"), ServeTestData.Records[1]);

        // When it is routed as a batch
        using var response = await client.PostAsync("/v1/route/batch", new StringContent(body, System.Text.Encoding.UTF8, "application/x-ndjson"), ct);

        // Then two decisions and one rejection at index 1 naming labels
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var answer = JsonNode.Parse(await response.Content.ReadAsStringAsync(ct))!;
        Assert.Equal(2, answer["decisions"]!.AsArray().Count);
        var rejected = Assert.Single(answer["rejected"]!.AsArray())!;
        Assert.Equal(1, rejected["index"]!.GetValue<int>());
        Assert.Equal("labels", rejected["field"]!.GetValue<string>());
        Assert.Equal(2, Decisions(host));
    }

    [Fact]
    public async Task Route_AllowShapeMismatch_ScoresTheRecord()
    {
        // Given a server started with --allow-shape-mismatch
        await using var host = await ServeHost.StartAsync(o => o with { AllowShapeMismatch = true });
        using var client = ServeTestData.Client(host.Url);

        // When a record without log-probabilities is routed, then it is decided
        using var response = await client.PostAsync("/v1/route", ServeTestData.Json(Changed("logprobs")), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, Decisions(host));
    }

    [Fact]
    public async Task Route_AnotherSourceModel_DecidedAndCountedOnMetrics()
    {
        // Given a record from an LLM the training data did not have (otherwise the same)
        await using var host = await ServeHost.StartAsync();
        using var client = ServeTestData.Client(host.Url);
        var record = JsonNode.Parse(ServeTestData.Records[0])!;
        record["source"]!["model"] = "some-other-llm";

        // When it is routed, then it is decided (a warning, not a refusal) and counted
        using var response = await client.PostAsync("/v1/route", ServeTestData.Json(record.ToJsonString()), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, host.Metric("lpp_unseen_source_model_total"));
    }

    /// <summary>All decisions on /metrics, whatever their reason and queue.</summary>
    private static double Decisions(ServeHost host)
    {
        using var client = ServeTestData.Client(host.Url);
        return client.GetStringAsync("/metrics").GetAwaiter().GetResult().Split('\n')
            .Where(l => l.StartsWith("lpp_decisions_total{", StringComparison.Ordinal))
            .Sum(l => double.Parse(l[(l.LastIndexOf(' ') + 1)..], System.Globalization.CultureInfo.InvariantCulture));
    }

    private static string Changed(string change)
    {
        var record = JsonNode.Parse(ServeTestData.Records[0])!;
        if (change == "labels")
        {
            record["labels"] = new JsonArray("a", "b");
            record["output"]!["outcome"] = "a";
            record["truth"] = "a";
        }
        else
        {
            record["output"]!.AsObject().Remove("outcome_top_logprobs");
        }

        return record.ToJsonString();
    }
}
