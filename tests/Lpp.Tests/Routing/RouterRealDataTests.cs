namespace Lpp.Tests;

/// <summary>Routing with models trained on the real data of ../shared (the hand-model tests are in <see cref="RouterTests"/>).</summary>
public sealed class RouterRealDataTests
{
    [Fact]
    public void Route_RealRecords_TrustExactlyWhenTheScoreClearsTau()
    {
        // Given a model that deploys its learned probability (the paper recipe always does) and the real records
        var model = TrainedModels.GptBoolqPaper;
        var router = new Router(model);
        Assert.Equal(PolicyKind.Learned, model.Policy.Kind);

        foreach (var record in DecisionRecordReader.ReadValid(SharedData.Path("data/llm-confidence/gpt-4o/sat.jsonl")))
        {
            // When each is routed
            var routed = router.Route(record);

            // Then a plain answer is trusted iff score >= tau, and the score is the model's probability
            Assert.Equal(model.Score(model.CreateExtractor().Extract(record)), routed.Score);
            Assert.Equal(routed.Score >= model.Tau, routed.Trust);
            Assert.Equal(routed.Trust ? "auto" : "review", routed.Queue);
            Assert.InRange(routed.Score, 0.0, 1.0);
        }
    }

    [Fact]
    public void Route_DefaultModel_FollowsItsDeployedPolicyAndScoresWithTheLearnedModel()
    {
        // Given the default recipe's model, whatever policy it deploys, and the real records it was trained on
        var model = TrainedModels.GptSatDefault;
        var router = new Router(model);

        foreach (var record in DecisionRecordReader.ReadValid(SharedData.Path("data/llm-confidence/gpt-4o/sat.jsonl")))
        {
            // When each is routed
            var routed = router.Route(record);
            var features = model.CreateExtractor().Extract(record);

            // Then the score is still the learned probability and a plain answer is trusted iff the policy trusts it
            Assert.Equal(model.Score(features), routed.Score);
            Assert.Equal(model.Policy.Trusts(features, routed.Score, model.Tau), routed.Trust);
            Assert.Equal(routed.Trust ? "auto" : "review", routed.Queue);
        }
    }

    [Fact]
    public void Route_Contributions_AreTheThreeLargestCoefficientTimesStandardisedValueSummedPerGroup()
    {
        // Given a record and the model's own pieces
        var model = TrainedModels.GptBoolqPaper;
        var record = DecisionRecordReader.ReadValid(SharedData.Path("data/llm-confidence/gpt-4o/boolq.jsonl")).Skip(5).First();
        var features = model.CreateExtractor().Extract(record);

        // When it is routed
        var routed = new Router(model).Route(record);

        // Then the contributions are recomputed independently: impute, standardise, times the mean coefficient, summed
        // over each of the model's groups of collinear features (a feature in none is its own), top 3 by magnitude
        var groups = model.ContributionGroups!.Groups;
        Assert.NotEmpty(groups);
        var expected = model.FeatureNames.Select((name, j) =>
        {
            var value = features[FeatureSchema.IndexOf(name)];
            value = double.IsNaN(value) ? model.Imputer.Medians[j] : value;
            var z = (value - model.Scaler.Mean[j]) / model.Scaler.Scale[j];
            var coefficient = model.Ensemble!.Members.Average(m => m.Ridge.Coefficients[j]);
            return (name: groups.FirstOrDefault(g => g.Members.Contains(name))?.Label ?? name, value: coefficient * z);
        }).GroupBy(c => c.name).Select(g => (name: g.Key, value: g.Sum(c => c.value)))
            .OrderByDescending(c => Math.Abs(c.value)).Take(3).ToList();
        Assert.Equal(expected.Select(e => e.name), routed.Contributions.Select(c => c.Feature));
        Assert.All(expected.Zip(routed.Contributions), pair => Assert.Equal(pair.First.value, pair.Second.LinearTerm, 9));
    }
}
