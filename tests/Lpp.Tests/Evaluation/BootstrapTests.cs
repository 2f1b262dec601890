namespace Lpp.Tests;

public sealed class BootstrapTests
{
    private static List<DecisionRecord> Sat() => DecisionRecordReader.ReadValid(SharedData.Path("data/llm-confidence/gpt-4o/sat.jsonl")).ToList();

    [Fact]
    public void Intervals_SameSeed_SameIntervals()
    {
        // Given the pinned-data model's routing of real records
        var set = Evaluator.Score(TrainedModels.GptSatDefault, Sat());

        // When the bootstrap runs twice with one seed and once with another
        var a = Bootstrap.Intervals(set.Rows, set.Model.Cost, 100, 7);
        var b = Bootstrap.Intervals(set.Rows, set.Model.Cost, 100, 7);
        var c = Bootstrap.Intervals(set.Rows, set.Model.Cost, 100, 8);

        // Then the same seed gives identical intervals and another seed different ones
        Assert.Equal(a, b);
        Assert.NotEqual(a[Method.MetaModel].Cost, c[Method.MetaModel].Cost);
    }

    [Fact]
    public void Intervals_RealRecords_ContainThePointEstimates()
    {
        // Given every method measured on real records
        var set = Evaluator.Score(TrainedModels.GptSatDefault, Sat());
        var measured = set.Measure();

        // When 200 resamples are drawn
        var intervals = Bootstrap.Intervals(set.Rows, set.Model.Cost, 200, 42);

        // Then each method's cost interval holds its cost, and each varying score's AUC interval holds its AUC
        foreach (var method in Evaluator.Methods)
        {
            Assert.True(intervals[method].Cost.Contains(measured[method].Cost), $"{method}: {intervals[method].Cost} vs {measured[method].Cost}");
            if (method != Method.AlwaysTrust)
            {
                Assert.True(intervals[method].Auc.Contains(measured[method].Auc), $"{method}: {intervals[method].Auc} vs {measured[method].Auc}");
            }
        }

        Assert.True(double.IsNaN(intervals[Method.AlwaysTrust].Auc.Low));
    }

    [Fact]
    public void Intervals_AlwaysTrust_CostBoundsAreErrorCountsOfResamples()
    {
        // Given 4 records (1 wrong) all trusted by always-trust: a resample's paper cost = c_error × wrong draws
        var rows = new[] { Row(true), Row(true), Row(true), Row(false) };

        // When bootstrapped
        var ci = Bootstrap.Intervals(rows, CostModel.Default, 500, 1)[Method.AlwaysTrust].Cost;

        // Then the bounds are whole numbers of errors between 0 and 4 (hand reasoning, exact)
        Assert.Equal(Math.Round(ci.Low), ci.Low, 12);
        Assert.InRange(ci.Low, 0, 1);
        Assert.InRange(ci.High, 2, 4);
    }

    [Fact]
    public void Percentile_MatchesNumpyLinearInterpolation()
    {
        // numpy.percentile([1, 2, 3, 4], [2.5, 50, 97.5]) = [1.075, 2.5, 3.925] (linear, numpy 1.24), exact to 1e-12
        double[] values = [4, 1, 3, 2];
        Assert.Equal(1.075, Bootstrap.Percentile(values, 0.025), 12);
        Assert.Equal(2.5, Bootstrap.Percentile(values, 0.5), 12);
        Assert.Equal(3.925, Bootstrap.Percentile(values, 0.975), 12);
    }

    private static EvaluatedRecord Row(bool correct) =>
        new("r", SourceAttributes.Empty, correct, Evaluator.Methods.ToDictionary(m => m, m => m == Method.AlwaysTrust ? 1 : 0.5), Evaluator.Methods.ToDictionary(m => m, _ => true));
}
