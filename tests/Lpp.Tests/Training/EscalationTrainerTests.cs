namespace Lpp.Tests;

public sealed class EscalationTrainerTests
{
    [Fact]
    public void Fit_NoTruth_IsRefused()
    {
        var records = Records(10, errors: 5).Select(r => r with { Truth = null }).ToList();

        var e = Assert.Throws<TrainingException>(() => new EscalationTrainer().Fit(TrainingSet.From(records, new LppFeatureExtractor())));

        Assert.Equal("no record has a truth label (10 without truth): training needs labelled decisions", e.Message);
    }

    [Fact]
    public void Fit_OneClass_IsRefused()
    {
        var e = Assert.Throws<TrainingException>(() => new EscalationTrainer().Fit(TrainingSet.From(Records(10, errors: 0), new LppFeatureExtractor())));

        Assert.Equal("all 10 labelled answers are correct: training needs both correct and incorrect answers", e.Message);
    }

    [Fact]
    public void Fit_FewerThanFiveErrors_IsRefused()
    {
        var e = Assert.Throws<TrainingException>(() => new EscalationTrainer().Fit(TrainingSet.From(Records(40, errors: 4), new LppFeatureExtractor())));

        Assert.Equal("only 4 incorrect answers among 40: training needs at least 5", e.Message);
    }

    [Fact]
    public void Fit_Paper_EvaluatesTheFullGridWith56DistinctFits()
    {
        // The paper's grid: 4 alphas x 2 solvers x 4 tols x 3 max_iter x 7 weights x 2 calibrations = 1,344
        var provenance = TrainedModels.GptBoolqPaper.Provenance;

        Assert.Equal(1344, provenance.ConfigurationsEvaluated);
        Assert.Equal(56, provenance.DistinctConfigurations);
        Assert.Equal("f1_error", provenance.CvMetric);
        Assert.StartsWith("validation split (20%, 654 records)", provenance.ThresholdData, StringComparison.Ordinal);
        Assert.InRange(TrainedModels.GptBoolqPaper.Tau, 0.35, 0.70);
    }

    [Fact]
    public void FullGrid_FollowsScikitLearnsParameterGridOrder()
    {
        // Expected from scikit-learn 1.2.1 ParameterGrid over sk_lpp.py's grid (printed with /usr/bin/python3):
        // [0] alpha 0.1, {0: 0.32}, max_iter 1000, auto, tol 1e-06, sigmoid; [1] ... isotonic; [2] ... tol 1e-05, sigmoid;
        // [8] ... lsqr, 1e-06, sigmoid; [48] ... {0: 0.512} ...; [335] alpha 0.1, None, 3000, lsqr, 0.001, isotonic; [336] alpha 1.0, {0: 0.32}, 1000, auto, 1e-06, sigmoid
        var settings = PaperRecipe.Settings(CostModel.Default).ToList();
        var grid = PaperRecipe.FullGrid(settings, new double[settings.Count]).Select(g => g.Description).ToList();

        Assert.Equal(1344, grid.Count);
        Assert.Equal("alpha=0.1 class_weight={0: q*0.5, 1: 1} max_iter=1000 solver=auto tol=1E-06 calibration=sigmoid", grid[0]);
        Assert.Equal("alpha=0.1 class_weight={0: q*0.5, 1: 1} max_iter=1000 solver=auto tol=1E-06 calibration=isotonic", grid[1]);
        Assert.Equal("alpha=0.1 class_weight={0: q*0.5, 1: 1} max_iter=1000 solver=auto tol=1E-05 calibration=sigmoid", grid[2]);
        Assert.Equal("alpha=0.1 class_weight={0: q*0.5, 1: 1} max_iter=1000 solver=lsqr tol=1E-06 calibration=sigmoid", grid[8]);
        Assert.Equal("alpha=0.1 class_weight={0: q*0.8, 1: 1} max_iter=1000 solver=auto tol=1E-06 calibration=sigmoid", grid[48]);
        Assert.Equal("alpha=0.1 class_weight=none max_iter=3000 solver=lsqr tol=0.001 calibration=isotonic", grid[335]);
        Assert.Equal("alpha=1 class_weight={0: q*0.5, 1: 1} max_iter=1000 solver=auto tol=1E-06 calibration=sigmoid", grid[336]);
    }

    [Fact]
    public void Fit_Paper_AbstentionsAndInvalidOutputsSurviveResampling()
    {
        // Given 400 labelled answers where the LLM is mostly wrong (320 errors, 80 right), so the errors are the majority
        // class that Tomek links and undersampling cut; 60 errors are abstentions that look exactly like the confident
        // right answers (same signals; family G, which would set them apart, excluded) and 20 are unparseable
        var records = MostlyWrong(seed: 5);
        var options = new EscalationTrainerOptions { Recipe = Recipe.Paper, ExcludedFamilies = new HashSet<FeatureFamily> { FeatureFamily.G } };

        // When the paper recipe trains on them
        var model = new EscalationTrainer(options).Fit(TrainingSet.From(records, new LppFeatureExtractor(options.Features)));

        // Then the resampled part is the 80% left after the validation split (hand: 400 x 0.8 = 320; 64 right, 256
        // wrong), undersampling keeps the 64 right answers and floor(64 / 0.5) = 128 errors, and every abstention and
        // invalid output of that part is among them
        var counts = model.Provenance.Resampling;
        Assert.NotNull(counts);
        Assert.Equal(320, counts.Rows);
        Assert.InRange(counts.ProtectedRows, 50, 80);
        Assert.True(counts.AfterTomek < counts.Rows, "Tomek links removed nothing, so the check below would prove nothing");
        Assert.Equal(64 + 128, counts.Kept);
        Assert.Equal(counts.ProtectedRows, counts.ProtectedKept);
    }

    [Fact]
    public void Fit_Default_RecordsNoResampling()
    {
        var model = new EscalationTrainer().Fit(TrainingSet.From(MostlyWrong(seed: 5), new LppFeatureExtractor()));

        Assert.Null(model.Provenance.Resampling);
    }

    [Fact]
    public void Fit_IdenticalFeatures_AreOneContributionGroup()
    {
        // Given answers with two alternatives, both labels: the label distribution is the top-k renormalised, so
        // label_msp equals topk_msp on every record (correlation 1 by definition)
        var model = new EscalationTrainer().Fit(TrainingSet.From(MostlyWrong(seed: 5), new LppFeatureExtractor()));

        // When trained, then the model stores the two in one contribution group, labelled with its name and members
        var groups = model.ContributionGroups;
        Assert.NotNull(groups);
        var group = Assert.Single(groups.Groups, g => g.Members.Contains("topk_msp"));
        Assert.Contains("label_msp", group.Members);
        Assert.StartsWith($"{group.Name} ({group.Members[0]}, ", group.Label, StringComparison.Ordinal);
        Assert.All(groups.Groups.SelectMany(g => g.Members), m => Assert.Contains(m, model.FeatureNames));

        // and a routed answer reports the group as one contribution, never its members on their own
        var routed = new Router(model).Route(MostlyWrong(seed: 5)[0]);
        Assert.DoesNotContain(routed.Contributions, c => c.Feature is "topk_msp" or "label_msp");
    }

    [Fact]
    public void Fit_SameInputAndSeed_GivesTheSameModel()
    {
        var first = TrainedModels.Train("data/llm-confidence/gpt-4o/sat.jsonl", Recipe.Default);
        var second = TrainedModels.Train("data/llm-confidence/gpt-4o/sat.jsonl", Recipe.Default);

        Assert.Equal(EscalationModelFile.Checksum(first), EscalationModelFile.Checksum(second));
    }

    [Fact]
    public void Fit_Default_ScoresAreCalibratedProbabilitiesAndTauIsTheClosedForm()
    {
        var model = TrainedModels.GptSatDefault;

        Assert.Equal("expected_cost", model.Provenance.CvMetric);
        Assert.Equal(1 - (0.64 / 2), model.Tau, 12);
        Assert.Equal(206, model.Provenance.Records);
        Assert.Equal(14, model.Provenance.Errors);
    }

    [Fact]
    public void Fit_ExcludedFamily_IsNotInTheModel()
    {
        var model = TrainedModels.Train("data/llm-confidence/gpt-4o/sat.jsonl", Recipe.Default, new EscalationTrainerOptions { ExcludedFamilies = new HashSet<FeatureFamily> { FeatureFamily.A, FeatureFamily.F } });

        Assert.DoesNotContain(model.FeatureNames, n => n.StartsWith("topk_", StringComparison.Ordinal) || n.StartsWith("band_", StringComparison.Ordinal) || n == "verbalized_confidence");
        Assert.Contains("label_msp", model.FeatureNames);
    }

    [Fact]
    public void Fit_NoLogprobs_NeverReadsMissingFamiliesAsValues()
    {
        // Claude gives no logprobs: families A-C are absent from every record and so from the model
        var model = TrainedModels.Train("data/llm-confidence/claude-3-haiku-20240307/sat.jsonl", Recipe.Default);

        Assert.DoesNotContain(model.FeatureNames, n => FeatureSchema.All[FeatureSchema.IndexOf(n)].Family is FeatureFamily.A or FeatureFamily.B or FeatureFamily.C);
    }

    [Fact]
    public void Options_FoldsBelowTwo_IsRefusedWithTheRange()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new EscalationTrainer(new EscalationTrainerOptions { Folds = 1 }));

        Assert.StartsWith("folds must be at least 2", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Options_Defaults_ArePinned()
    {
        var options = new EscalationTrainerOptions();

        Assert.Equal(Recipe.Default, options.Recipe);
        Assert.Equal(CostModel.Default, options.Cost);
        Assert.Equal(42, options.Seed);
        Assert.Equal(3, options.Folds);
        Assert.Empty(options.ExcludedFamilies);
        Assert.Equal(5, options.Features.TopK);
    }

    private static IEnumerable<DecisionRecord> Records(int count, int errors) =>
        Enumerable.Range(0, count).Select(i => new DecisionRecord
        {
            Id = $"r{i}",
            Schema = LabelSchema.Moderation,
            Output = new LlmOutput { Outcome = "1", VerbalizedConfidence = 50 + (i % 10 * 5), OutcomeTopLogprobs = [new("1", -0.01 * (i + 1)), new("0", -3)] },
            Truth = i < errors ? "0" : "1",
        });

    /// <summary>
    /// 400 moderation answers: 80 right, 240 plain errors, 60 abstentions ("2"/"3") with the signals of right answers,
    /// 20 unparseable. Errors have lower, noisier signals; seeded, so the set is the same every run.
    /// </summary>
    private static List<DecisionRecord> MostlyWrong(int seed)
    {
        var random = new Random(seed);
        var records = new List<DecisionRecord>();
        for (var i = 0; i < 400; i++)
        {
            var kind = i < 80 ? "right" : i < 320 ? "wrong" : i < 380 ? "abstain" : "invalid";
            var confident = kind is "right" or "abstain";
            var top = confident ? -0.05 - (0.6 * random.NextDouble()) : -0.3 - (1.2 * random.NextDouble());
            var second = Math.Log(Math.Max(1e-6, 1 - Math.Exp(top))) - (0.5 * random.NextDouble());
            var outcome = kind switch { "right" => "1", "wrong" => "0", "abstain" => i % 2 == 0 ? "2" : "3", _ => null };
            records.Add(new DecisionRecord
            {
                Id = $"m{i}",
                Schema = LabelSchema.Moderation,
                Output = new LlmOutput
                {
                    Outcome = outcome,
                    VerbalizedConfidence = Math.Round(Math.Exp(top) * 20) * 5,
                    OutcomeTopLogprobs = [new(outcome ?? "1", top), new(outcome == "1" ? "0" : "1", second)],
                },
                Truth = "1",
            });
        }

        return records;
    }
}
