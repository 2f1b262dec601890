using System.Text;

namespace Lpp.Tests;

public sealed class ModelComparisonTests
{
    private static List<DecisionRecord> Sat => [.. DecisionRecordReader.ReadValid(SharedData.Path("data/llm-confidence/gpt-4o/sat.jsonl"))];

    [Fact]
    public void Compare_ModelWithItself_NoDifferenceAndKeepA()
    {
        var model = TrainedModels.GptSatDefault;

        var result = ModelComparison.Compare(model, model, Sat, draws: 200, seed: 1);

        Assert.Equal(206, result.Records);
        Assert.Equal(14, result.Errors);
        Assert.Equal(result.CostA, result.CostB);
        Assert.Equal(new Interval(0, 0), result.CostDifference);
        Assert.Equal(new Interval(0, 0), result.AucDifference);
        Assert.Equal(1, result.Agreement);
        Assert.Equal(0, result.ProbabilityBCheaper);
        Assert.StartsWith("keep A: no clear difference", result.Recommendation, StringComparison.Ordinal);
    }

    [Fact]
    public void Compare_AgainstTrustingEverything_CountsBothInAsTerms()
    {
        // Given B = A routing at costs that make it trust every item it may (c_review 100: tau = 1 - 50 < 0)
        var a = TrainedModels.GptSatDefault;
        var b = a.WithSeverityCosts(SeverityCosts.Parse(Encoding.UTF8.GetBytes("""{"default": {"c_error": 1, "c_review": 100}}"""), CostForm.Paper));
        var records = Sat;

        var result = ModelComparison.Compare(a, b, records, draws: 200, seed: 1);

        // Then both costs are A's item costs (paper form, c_error 1, c_review 0.64) summed by hand over the decisions:
        // B escalates only the forced items (abstentions, invalid outputs)
        var router = new Router(a);
        var expectedA = 0.0;
        var expectedB = 0.0;
        foreach (var record in records.Where(r => r.Correct is not null))
        {
            var decision = router.Route(record);
            var forced = decision.Reason is not (RoutingReason.Confident or RoutingReason.LowConfidence);
            expectedA += a.Cost.ItemCost(decision.Trust, record.Correct!.Value);
            expectedB += a.Cost.ItemCost(!forced, record.Correct!.Value);
        }

        Assert.Equal(expectedA, result.CostA, 1e-9);
        Assert.Equal(expectedB, result.CostB, 1e-9);
        Assert.True(result.CostDifference.Low <= result.CostB - result.CostA && result.CostB - result.CostA <= result.CostDifference.High);
    }

    [Fact]
    public void Compare_NoLabels_IsRefused()
    {
        var model = TrainedModels.GptSatDefault;
        var unlabelled = Sat.Select(r => r with { Truth = null }).ToList();

        var e = Assert.Throws<ArgumentException>(() => ModelComparison.Compare(model, model, unlabelled, 10, 1));

        Assert.StartsWith("no record has a truth label", e.Message, StringComparison.Ordinal);
    }
}
