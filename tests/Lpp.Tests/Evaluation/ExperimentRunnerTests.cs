namespace Lpp.Tests;

public sealed class ExperimentRunnerTests
{
    private static List<DecisionRecord> Sat() => DecisionRecordReader.ReadValid(SharedData.Path("data/llm-confidence/gpt-4o/sat.jsonl")).ToList();

    /// <summary>gpt-4o/sat with its first 8 wrong answers that name a label relabelled as right: 6 errors left.</summary>
    internal static List<DecisionRecord> SixErrors()
    {
        var flipped = 0;
        return [.. Sat().Select(r => r.Correct == false && !r.OutcomeInvalid && r.Schema.IsDecisionLabel(r.Output.Outcome) && flipped++ < 8 ? r with { Truth = r.Output.Outcome } : r)];
    }

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
        Assert.Equal(d.Cost(Method.MetaModel), b.Datasets.Single().Cost(Method.MetaModel));
        Assert.Equal(a.Verdict(), b.Verdict());
        Assert.StartsWith("On sat (2 seeded splits, 52 test records each), the meta-model escalates ", a.Verdict(), StringComparison.Ordinal);
        Assert.Equal(3, d.Splits[0].CostRatios.Count);
    }

    [Fact]
    public void Verdict_OneSplitWithinTheBootstrapIntervals_SaysNoClearDifference()
    {
        // Given one split of Llama's sat: 52 test records, 11 errors, so one error moves the cost a lot (gpt-4o/sat's
        // first split deploys always-trust, which costs exactly what its best single signal does there)
        var llamaSat = DecisionRecordReader.ReadValid(SharedData.Path("data/llm-confidence/Meta-Llama-3.1-8B-Instruct/sat.jsonl")).ToList();
        var result = ExperimentRunner.Run([new ExperimentDataset("sat", llamaSat)], new ExperimentOptions { Repeats = 1, Bootstrap = 200, Ablations = false });
        var d = result.Datasets.Single();
        var bestSignal = d.BestBaseline!.Value;
        var meta = d.Cost(Method.MetaModel).Mean;
        var best = d.Cost(bestSignal).Mean;
        var intervals = d.FirstEvaluation!.Intervals;

        // When the outcome against the best single signal is judged
        var outcome = result.Outcome(d);

        // Then the costs differ but each lies in the other's 95% interval, so the verdict is "no clear difference", not a sign
        Assert.NotEqual(meta, best);
        Assert.True(intervals[Method.MetaModel].Cost.Contains(best) || intervals[bestSignal].Cost.Contains(meta));
        Assert.Equal(DatasetOutcome.Unclear, outcome);
        Assert.Contains("No clear difference: ", result.Verdict(), StringComparison.Ordinal);
        Assert.Contains("within the bootstrap intervals of the one split", result.Verdict(), StringComparison.Ordinal);
    }

    [Fact]
    public void Run_TooFewErrorsToTrain_SkipsTheMetaModelWithTheReasonAndStillMeasuresTheSignals()
    {
        // Given gpt-4o/sat (206 records, 14 errors) with 8 wrong answers relabelled right: 6 errors, so a stratified
        // 75/25 training part holds fewer than the 5 errors training needs (the file the crash was seen on)
        var records = SixErrors();
        Assert.Equal(6, records.Count(r => r.Correct == false));

        // When the comparison pipeline runs on it (default and paper recipes, two splits)
        var result = ExperimentRunner.Run([new ExperimentDataset("sat6", records)], ExperimentOptions.Comparison with { Repeats = 2, Bootstrap = 20 });

        // Then nothing throws; both recipes are skipped on both splits with the trainer's reason; always trust and the
        // four signals are measured on every split; there is nothing to compare, and the verdict says why
        var d = result.Datasets.Single();
        Assert.Equal([Method.MetaModel, Method.Trained(Recipe.Paper)], d.SkippedMethods);
        Assert.All(d.Splits, s => Assert.Matches("^only [0-9] incorrect answers among [0-9]+: training needs at least 5$", s.Skipped[Method.MetaModel]));
        Assert.Equal([Method.AlwaysTrust, .. Method.Signals], d.Methods);
        Assert.All(d.Methods, m => Assert.Equal(2, d.Runs(m)));
        Assert.Null(d.FirstModel);
        Assert.Equal(DatasetOutcome.NotMeasured, result.Outcome(d));
        Assert.Contains("nothing was compared: meta_model skipped on 2 of 2 splits (only ", result.Verdict(), StringComparison.Ordinal);
    }

    [Fact]
    public void Run_NoLogProbabilities_SkipsTheLogProbabilitySignalsAndNamesWhy()
    {
        // Given gpt-4o/sat with the answer-token alternatives removed (as for a model that gives no logprobs)
        var records = Sat().Select(r => r with { Output = r.Output with { OutcomeTopLogprobs = null } }).ToList();

        // When the experiment runs one split
        var d = ExperimentRunner.Run([new ExperimentDataset("sat", records)], new ExperimentOptions { Bootstrap = 20, Ablations = false }).Datasets.Single();

        // Then msp, top2_margin and entropy are skipped with the reason, and verbalized confidence is the best signal
        foreach (var signal in new[] { Method.Msp, Method.Top2Margin, Method.Entropy })
        {
            Assert.Equal("no training record has log-probabilities at the answer token", d.Splits[0].Skipped[signal]);
            Assert.Equal(0, d.Runs(signal));
        }

        Assert.Equal(Method.Verbalized, d.BestBaseline);
        Assert.Equal(1, d.Runs(Method.MetaModel));
    }

    [Fact]
    public void Run_ComparisonRecipe_IsMeasuredAsItsOwnMethodOnTheSameSplits()
    {
        // Given gpt-4o/sat, when the default recipe runs with the paper's beside it
        var d = ExperimentRunner.Run([new ExperimentDataset("sat", Sat())], new ExperimentOptions { Bootstrap = 20, Ablations = false, CompareRecipes = [Recipe.Paper] }).Datasets.Single();

        // Then the paper's model is a method named "paper", measured on the same test records as the meta-model
        var paper = d.Splits[0].Methods[Method.Trained(Recipe.Paper)];
        var meta = d.Splits[0].Methods[Method.MetaModel];
        Assert.Equal(paper.Tp + paper.Fp + paper.Tn + paper.Fn, meta.Tp + meta.Fp + meta.Tn + meta.Fn);
        Assert.Contains(Method.Parse("paper"), d.Methods);
    }

    [Fact]
    public void Run_TestErrorsAtLeastTheDatasetsErrors_ThrowsNamingTheDataset()
    {
        var e = Assert.Throws<ExperimentException>(() => ExperimentRunner.Run([new ExperimentDataset("sat", Sat())], new ExperimentOptions { TestErrors = 14 }));
        Assert.Equal("--test-errors 14: sat holds only 14 LLM errors, and training needs some of them", e.Message);
    }

    [Fact]
    public void Options_Comparison_IsTheExperimentWithThePaperRecipeBesideOn20SplitsWithoutAblations()
    {
        var o = ExperimentOptions.Comparison;
        Assert.Equal((Recipe.Default, 20, false, 0.25, 42), (o.Recipe, o.Repeats, o.Ablations, o.TestFraction, o.Seed));
        Assert.Equal([Recipe.Paper], o.CompareRecipes);
    }

    [Fact]
    public void Options_CompareRecipeRepeatsTheExperimentsOwn_MessageNamesTheOption()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(new ExperimentOptions { CompareRecipes = [Recipe.Default] }.Validate);
        Assert.StartsWith("compare-recipes must not repeat a recipe or the experiment's own (default)", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Options_Defaults_ArePinned()
    {
        var o = new ExperimentOptions();
        Assert.Equal((Recipe.Default, 0.25, (int?)null, 1, 42, 1000, true), (o.Recipe, o.TestFraction, o.TestErrors, o.Repeats, o.Seed, o.Bootstrap, o.Ablations));
        Assert.Equal([0.4, 0.64, 0.9], o.CostRatios);
        Assert.Equal(CostModel.Default, o.Cost);
        Assert.Empty(o.CompareRecipes);
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
