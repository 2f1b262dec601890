namespace Lpp.Tests;

public sealed class ExperimentRunnerTests
{
    private static List<DecisionRecord> Sat() => DecisionRecordReader.ReadValid(SharedData.Path("data/llm-confidence/gpt-4o/sat.jsonl")).ToList();

    [Fact]
    public void FixedErrors_TestSetHoldsExactlyNErrorsInTheNaturalRatio()
    {
        // Given 10 errors and 90 right answers
        var y = Enumerable.Range(0, 100).Select(i => i < 10 ? 0 : 1).ToArray();

        // When 4 test errors are asked for
        var split = ExperimentRunner.FixedErrors(y, 4, 3);

        // Then the test set has 4 errors and round(4 × 90 / 10) = 36 right answers, disjoint from training
        Assert.Equal(4, split.Test.Count(i => y[i] == 0));
        Assert.Equal(36, split.Test.Count(i => y[i] == 1));
        Assert.Equal(100, split.Train.Length + split.Test.Length);
        Assert.Empty(split.Train.Intersect(split.Test));
    }

    [Fact]
    public void Run_TwoRepeats_IsDeterministicAndMeasuresEverySplit()
    {
        // Given gpt-4o/sat and two seeded splits with few bootstrap draws
        var options = new ExperimentOptions { Repeats = 2, Bootstrap = 20, Ablations = false };

        // When run twice
        var a = ExperimentRunner.Run([new ExperimentDataset("sat", Sat())], options);
        var b = ExperimentRunner.Run([new ExperimentDataset("sat", Sat())], options);

        // Then both runs agree, each split tests ceil(0.25 × 206) = 52 records, and the verdict is computed text
        var d = a.Datasets.Single();
        Assert.Equal([42, 43], d.Splits.Select(s => s.Seed));
        Assert.All(d.Splits, s => Assert.Equal(52, s.TestRecords));
        Assert.Equal(d.Cost("meta_model"), b.Datasets.Single().Cost("meta_model"));
        Assert.Equal(a.Verdict(), b.Verdict());
        Assert.StartsWith("On sat (2 seeded splits, 52 test records each), the meta-model escalates ", a.Verdict(), StringComparison.Ordinal);
        Assert.Equal(3, d.Splits[0].CostRatios.Count);
    }

    [Fact]
    public void Verdict_OneSplitWithinTheBootstrapIntervals_SaysNoClearDifference()
    {
        // Given one split of gpt-4o/sat: 52 test records, a handful of errors, so one error moves the cost a lot
        var result = ExperimentRunner.Run([new ExperimentDataset("sat", Sat())], new ExperimentOptions { Repeats = 1, Bootstrap = 200, Ablations = false });
        var d = result.Datasets.Single();
        var meta = d.Cost("meta_model").Mean;
        var best = d.Cost(d.BestBaseline).Mean;
        var intervals = d.FirstEvaluation.Intervals;

        // When the outcome against the best single signal is judged
        var outcome = result.Outcome(d);

        // Then the costs differ but each lies in the other's 95% interval, so the verdict is "no clear difference", not a sign
        Assert.NotEqual(meta, best);
        Assert.True(intervals["meta_model"].Cost.Contains(best) || intervals[d.BestBaseline].Cost.Contains(meta));
        Assert.Equal(DatasetOutcome.Unclear, outcome);
        Assert.Contains("No clear difference: ", result.Verdict(), StringComparison.Ordinal);
        Assert.Contains("within the bootstrap intervals of the one split", result.Verdict(), StringComparison.Ordinal);
    }

    [Fact]
    public void Run_TestErrorsAtLeastTheDatasetsErrors_ThrowsNamingTheDataset()
    {
        var e = Assert.Throws<ExperimentException>(() => ExperimentRunner.Run([new ExperimentDataset("sat", Sat())], new ExperimentOptions { TestErrors = 14 }));
        Assert.Equal("--test-errors 14: sat holds only 14 LLM errors, and training needs some of them", e.Message);
    }

    [Fact]
    public void Options_Defaults_ArePinned()
    {
        var o = new ExperimentOptions();
        Assert.Equal((Recipe.Default, 0.25, (int?)null, 1, 42, 1000, true), (o.Recipe, o.TestFraction, o.TestErrors, o.Repeats, o.Seed, o.Bootstrap, o.Ablations));
        Assert.Equal([0.4, 0.64, 0.9], o.CostRatios);
        Assert.Equal(CostModel.Default, o.Cost);
    }

    [Theory]
    [InlineData(0.0, null, 1, 1, "test-fraction must be strictly between 0 and 1 (got 0)")]
    [InlineData(0.25, 0, 1, 1, "test-errors must be at least 1 (got 0)")]
    [InlineData(0.25, null, 0, 1, "repeats must be at least 1 (got 0)")]
    [InlineData(0.25, null, 1, 0, "bootstrap must be at least 1 (got 0)")]
    public void Options_OutOfRange_MessageNamesTheOption(double fraction, int? errors, int repeats, int bootstrap, string message)
    {
        var o = new ExperimentOptions { TestFraction = fraction, TestErrors = errors, Repeats = repeats, Bootstrap = bootstrap };
        var e = Assert.Throws<ArgumentOutOfRangeException>(o.Validate);
        Assert.StartsWith(message, e.Message, StringComparison.Ordinal);
    }
}
