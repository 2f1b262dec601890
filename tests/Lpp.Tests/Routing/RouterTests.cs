namespace Lpp.Tests;

public sealed class RouterTests
{
    [Theory]
    [InlineData("2", "escalate", "abstain_evidence", "senior_review")]
    [InlineData("3", "escalate", "abstain_definition", "policy_review")]
    [InlineData(null, "escalate", "invalid_output", "review")]
    public void Route_AbstentionsAndInvalidOutputs_GoToTheirQueues(string? outcome, string decision, string reason, string queue)
    {
        // Given a confident-looking moderation answer that abstains (or cannot be parsed)
        var router = new Router(TrainedModels.GptSatDefault);
        var record = Moderation(outcome, [new("0", -0.001), new("1", -7)]);

        // When it is routed
        var routed = router.Route(record);

        // Then the abstention decides the queue whatever the score
        Assert.Equal(decision, routed.Trust ? "trust" : "escalate");
        Assert.Equal(reason, Queues.ReasonName(routed.Reason));
        Assert.Equal(queue, routed.Queue);
    }

    [Fact]
    public void Route_RecordWithoutAnAnswer_EscalatesWithReasonNoAnswer()
    {
        // Given a record whose call failed (no answer), parsed from the line lpp infer writes
        var router = new Router(TrainedModels.GptSatDefault);
        var record = new DecisionRecordParser().Parse("""{"id":"a/H","labels":["0","1"],"abstain_labels":{"2":"evidence","3":"definition"},"output":{"outcome":null,"raw_answer":null},"truth":"1","error":"cannot reach api.openai.com: name not resolved","error_kind":"transport","response":null}"""u8);

        var routed = router.Route(record);

        Assert.False(routed.Trust);
        Assert.Equal("no_answer", Queues.ReasonName(routed.Reason));
        Assert.Equal(Queues.Review, routed.Queue);
    }

    [Fact]
    public void Route_RealRecords_TrustExactlyWhenTheScoreClearsTau()
    {
        // Given the model and the real records it was trained on
        var model = TrainedModels.GptSatDefault;
        var router = new Router(model);

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
    public void Route_Contributions_AreTheThreeLargestCoefficientTimesStandardisedValue()
    {
        // Given a record and the model's own pieces
        var model = TrainedModels.GptBoolqPaper;
        var record = DecisionRecordReader.ReadValid(SharedData.Path("data/llm-confidence/gpt-4o/boolq.jsonl")).Skip(5).First();
        var features = model.CreateExtractor().Extract(record);

        // When it is routed
        var routed = new Router(model).Route(record);

        // Then the contributions are recomputed independently: impute, standardise, times the mean coefficient, top 3 by magnitude
        var expected = model.FeatureNames.Select((name, j) =>
        {
            var value = features[FeatureSchema.IndexOf(name)];
            value = double.IsNaN(value) ? model.Imputer.Medians[j] : value;
            var z = (value - model.Scaler.Mean[j]) / model.Scaler.Scale[j];
            var coefficient = model.Ensemble.Members.Average(m => m.Ridge.Coefficients[j]);
            return (name, value: coefficient * z);
        }).OrderByDescending(c => Math.Abs(c.value)).Take(3).ToList();
        Assert.Equal(expected.Select(e => e.name), routed.Contributions.Select(c => c.Feature));
        Assert.All(expected.Zip(routed.Contributions), pair => Assert.Equal(pair.First.value, pair.Second.Value, 9));
    }

    private static DecisionRecord Moderation(string? outcome, TokenLogprob[] alternatives) => new()
    {
        Id = "x",
        Schema = new LabelSchema(["A", "B", "C", "D"], [new("2", Attribution.Evidence), new("3", Attribution.Definition)]),
        Output = new LlmOutput { Outcome = outcome, OutcomeTopLogprobs = alternatives, VerbalizedConfidence = 95 },
    };
}
