namespace Lpp.Tests;

public sealed class AblationTests
{
    [Fact]
    public void Run_RealData_ExcludesExactlyEachFamily()
    {
        // Given a model trained on 3/4 of gpt-4o/sat
        var records = DecisionRecordReader.ReadValid(SharedData.Path("data/llm-confidence/gpt-4o/sat.jsonl")).ToList();
        var y = records.Select(r => r.Correct == true ? 1 : 0).ToArray();
        var split = StratifiedSplit.TrainTest(y, 0.25, 42);
        var train = TrainingSet.From(split.Train.Select(i => records[i]), new LppFeatureExtractor());
        var test = split.Test.Select(i => records[i]).ToList();
        var options = new EscalationTrainerOptions();
        var full = new EscalationTrainer(options).Fit(train);

        // When each family is ablated
        var ablations = Ablation.Run(train, test, options, full);

        // Then every family A-G is reported once; families the model never read (D, E: no reasoning here) change nothing;
        // and retraining without F reads exactly the full model's features minus F's
        Assert.Equal(Ablation.Families, ablations.Select(a => a.Family));
        Assert.All(ablations.Where(a => a.Family is FeatureFamily.D or FeatureFamily.E), a => Assert.Equal((false, 0.0, 0.0), (a.InModel, a.CostChange, a.AucChange)));
        var withoutF = new EscalationTrainer(options with { ExcludedFamilies = new HashSet<FeatureFamily> { FeatureFamily.F } }).Fit(train);
        var expected = full.FeatureNames.Where(f => FeatureSchema.All[FeatureSchema.IndexOf(f)].Family != FeatureFamily.F);
        Assert.Equal(expected, withoutF.FeatureNames);
        var fullMetrics = Evaluator.Score(full, test).Measure()[Method.MetaModel];
        var f = ablations.Single(a => a.Family == FeatureFamily.F);
        Assert.Equal(Evaluator.Score(withoutF, test).Measure()[Method.MetaModel].Cost - fullMetrics.Cost, f.CostChange, 12);
    }
}
