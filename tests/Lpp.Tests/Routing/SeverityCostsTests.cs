using System.Text;

namespace Lpp.Tests;

public sealed class SeverityCostsTests
{
    // The example file.
    private const string Example = """
        {"default": {"c_error": 1, "c_review": 0.64}, "by": "concept",
         "values": {"csam": {"c_error": 50, "c_review": 0.64}, "spam": {"c_error": 0.5, "c_review": 0.64}}}
        """;

    [Fact]
    public void Parse_Example_ReadsTheDefaultAndEachValue()
    {
        var costs = SeverityCosts.Parse(Encoding.UTF8.GetBytes(Example), CostForm.Paper);

        Assert.Equal(new CostModel(CostForm.Paper, 1, 0.64), costs.Default);
        Assert.Equal("concept", costs.By);
        Assert.Equal(new CostModel(CostForm.Paper, 50, 0.64), costs.Values["csam"]);
        Assert.Equal(new CostModel(CostForm.Paper, 0.5, 0.64), costs.Values["spam"]);
    }

    [Fact]
    public void For_SourceValue_PicksItsCostsAndOtherwiseTheDefault()
    {
        var costs = SeverityCosts.Parse(Encoding.UTF8.GetBytes(Example), CostForm.Paper);

        Assert.Equal(50, costs.For(Source("concept", "csam"), out var csam).CError);
        Assert.Equal("csam", csam);
        Assert.Equal(1, costs.For(Source("concept", "violence"), out var other).CError);
        Assert.Equal(SeverityCosts.DefaultGroup, other);
        Assert.Equal(1, costs.For(Source("task", "csam"), out var missing).CError);
        Assert.Equal(SeverityCosts.DefaultGroup, missing);
    }

    [Fact]
    public void ThresholdFor_OtherCosts_IsTheClosedFormOfTheirRatio_TheModelsOwnCosts_ItsTau()
    {
        // Closed form for a calibrated score, paper form: tau = 1 - r/2 with r = c_review / c_error.
        // csam: r = 0.64 / 50 = 0.0128, tau = 0.9936; spam: r = 0.64 / 0.5 = 1.28, tau = 0.36.
        var model = TrainedModels.GptSatDefault;
        var costs = SeverityCosts.Parse(Encoding.UTF8.GetBytes(Example), CostForm.Paper);

        Assert.Equal(0.9936, SeverityCosts.ThresholdFor(model, costs.Values["csam"]), 1e-12);
        Assert.Equal(0.36, SeverityCosts.ThresholdFor(model, costs.Values["spam"]), 1e-12);
        Assert.Equal(model.Tau, SeverityCosts.ThresholdFor(model, costs.Default));
        // Absolute form: tau = 1 - r = 1 - 0.0128
        Assert.Equal(0.9872, new CostModel(CostForm.Absolute, 50, 0.64).CalibratedOptimalThreshold, 1e-12);
    }

    [Theory]
    [InlineData("""{"by": "concept"}""", "no \"default\" costs")]
    [InlineData("""{"default": {"c_error": 0, "c_review": 0.64}}""", "default.c_error must be a positive number (got 0)")]
    [InlineData("""{"default": {"c_error": 1}}""", "default.c_review is missing")]
    [InlineData("""{"default": {"c_error": 1, "c_review": 0.64}, "by": "concept", "values": {"spam": {"c_error": -1, "c_review": 1}}}""", "values.spam.c_error must be a positive number (got -1)")]
    [InlineData("""{"default": {"c_error": 1, "c_review": "x"}}""", "default.c_review must be a positive number (got \"x\")")]
    [InlineData("""{"default": {"c_error": 1, "c_review": 1}, "values": {"spam": {"c_error": 1, "c_review": 1}}}""", "\"values\" needs \"by\"")]
    [InlineData("""[1]""", "must be a JSON object")]
    [InlineData("""{"default": """, "invalid JSON")]
    public void Parse_BadFile_IsRefusedNamingTheField(string json, string message)
    {
        var e = Assert.Throws<FormatException>(() => SeverityCosts.Parse(Encoding.UTF8.GetBytes(json), CostForm.Paper));

        Assert.Contains(message, e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void Route_WithCosts_TrustsEachItemAtItsOwnThresholdAndSaysWhichApplied()
    {
        // Given a model that deploys its learned probability (the paper recipe always does) and one real record with
        // a score between the spam threshold (0.36) and the csam one (0.9936)
        var model = TrainedModels.GptBoolqPaper;
        Assert.Equal(PolicyKind.Learned, model.Policy.Kind);
        var costs = SeverityCosts.Parse(Encoding.UTF8.GetBytes(Example), CostForm.Paper);
        var router = new Router(model, costs);
        var record = DecisionRecordReader.ReadValid(SharedData.Path("data/llm-confidence/gpt-4o/boolq.jsonl"))
            .First(r => new Router(model).Route(r) is { Reason: RoutingReason.Confident or RoutingReason.LowConfidence, Score: > 0.4 and < 0.99 });

        // When it is routed as csam and as spam
        var csam = router.Route(record with { Source = Source("concept", "csam") });
        var spam = router.Route(record with { Source = Source("concept", "spam") });

        // Then csam escalates at 0.9936, spam is trusted at 0.36, and each decision names its costs
        Assert.False(csam.Trust);
        Assert.Equal(0.9936, csam.Tau, 1e-12);
        Assert.Equal("csam", csam.CostGroup);
        Assert.True(spam.Trust);
        Assert.Equal(0.36, spam.Tau, 1e-12);
        Assert.Equal("spam", spam.CostGroup);
        Assert.Null(new Router(model).Route(record).CostGroup);
    }

    [Fact]
    public void Route_SimplePolicyWithCosts_ItsOwnCostsKeepThePolicy_OtherCostsUseTheLearnedScoreAtTheirThreshold()
    {
        // Given a model that deploys always-trust at its own costs (gpt-4o SAT, default recipe), the example costs, and
        // real records whose learned score lies below the default tau (0.68) and above the spam threshold (0.36)
        var model = TrainedModels.GptSatDefault;
        Assert.Equal(PolicyKind.AlwaysTrust, model.Policy.Kind);
        var costs = SeverityCosts.Parse(Encoding.UTF8.GetBytes(Example), CostForm.Paper);
        var router = new Router(model, costs);
        var records = DecisionRecordReader.ReadValid(SharedData.Path("data/llm-confidence/gpt-4o/sat.jsonl"))
            .Where(r => new Router(model).Route(r).Reason == RoutingReason.Confident).ToList();
        var middle = records.First(r => new Router(model).Route(r).Score is > 0.36 and < 0.68);

        // When routed under the default costs (the model's own), as csam and as spam
        var asDefault = router.Route(middle);
        var csam = router.Route(middle with { Source = Source("concept", "csam") });
        var spam = router.Route(middle with { Source = Source("concept", "spam") });

        // Then the default costs keep the deployed policy (trusted below 0.68), and the other costs read the learned
        // score at their closed-form thresholds: csam (0.9936) escalates it, spam (0.36) trusts it
        Assert.Equal((true, "default"), (asDefault.Trust, asDefault.CostGroup));
        Assert.Equal((false, RoutingReason.LowConfidence, "review"), (csam.Trust, csam.Reason, csam.Queue));
        Assert.Equal(0.9936, csam.Tau, 1e-12);
        Assert.True(spam.Trust);
        // And every csam item is decided by its score alone: trusted exactly when the score reaches 0.9936
        Assert.All(records, r => Assert.Equal(router.Route(r with { Source = Source("concept", "csam") }).Score >= 0.9936, router.Route(r with { Source = Source("concept", "csam") }).Trust));
    }

    [Fact]
    public void Load_ModelWithCosts_RoundTripsThemInTheFile()
    {
        // Given a model carrying costs by severity, written and read back
        var costs = SeverityCosts.Parse(Encoding.UTF8.GetBytes(Example), CostForm.Paper);
        var model = TrainedModels.GptSatDefault.WithSeverityCosts(costs);
        using var dir = new TempDir();
        var path = dir.File("model.json");
        using (var stream = File.Create(path))
        {
            EscalationModelFile.Write(model, stream, DateTimeOffset.UnixEpoch);
        }

        var loaded = EscalationModelFile.Load(path).SeverityCosts;

        // Then the costs are the same, and the profile stayed
        Assert.NotNull(loaded);
        Assert.Equal(costs.Default, loaded.Default);
        Assert.Equal(costs.Values, loaded.Values);
        Assert.NotNull(EscalationModelFile.Load(path).Profile);
    }

    private static SourceAttributes Source(string key, string value) => new([KeyValuePair.Create(key, value)]);
}
