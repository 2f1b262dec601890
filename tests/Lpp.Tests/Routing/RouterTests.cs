namespace Lpp.Tests;

public sealed class RouterTests
{
    [Theory]
    [InlineData("2", 95, "abstain_evidence", "senior_review")]
    [InlineData("3", 95, "abstain_definition", "policy_review")]
    [InlineData(null, 95, "invalid_output", "review")]
    [InlineData("banana", 95, "invalid_output", "review")]
    [InlineData("2", 50, "abstain_evidence", "senior_review")]
    [InlineData("3", 50, "abstain_definition", "policy_review")]
    [InlineData(null, 50, "invalid_output", "review")]
    public void Route_AbstentionOrInvalidScoringAtOrAboveTau_IsEscalatedToItsQueue(string? outcome, double confidence, string reason, string queue)
    {
        // Given a hand-written model (score = 1 / (1 + exp(-(v - 0.5))), tau 0.5) and an answer that abstains or cannot
        // be parsed but whose verbalized confidence scores at (v = 0.5: exactly 0.5) or above (v = 0.95: 0.61) tau
        var router = new Router(HandModels.Verbalized(tau: 0.5));
        var record = Moderation(outcome, confidence);

        // When it is routed
        var routed = router.Route(record);

        // Then the score clears tau, yet the abstention or invalid output decides: escalated, to its own queue
        Assert.Equal(HandModels.VerbalizedScore(confidence / 100), routed.Score, 15);
        Assert.True(routed.Score >= routed.Tau);
        Assert.False(routed.Trust);
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
    public void Route_ScoreExactlyAtTau_IsTrusted()
    {
        // Given the hand model and a plain answer with v = 0.5: ridge decision 0.5 - 0.5 = 0, Platt 1 / (1 + e^0) = 0.5 exactly
        var router = new Router(HandModels.Verbalized(tau: 0.5));

        // When it is routed
        var routed = router.Route(Moderation("1", 50));

        // Then score == tau, and trust is "score >= tau"
        Assert.Equal(0.5, routed.Score);
        Assert.True(routed.Trust);
        Assert.Equal("confident", Queues.ReasonName(routed.Reason));
        Assert.Equal("auto", routed.Queue);
    }

    [Theory]
    [InlineData(95, true, "auto")]
    [InlineData(45, false, "review")]
    public void Route_PlainAnswer_TrustedIffScoreClearsTau(double confidence, bool trusted, string queue)
    {
        // Given the hand model with tau 0.5: v = 0.95 scores 0.61, v = 0.45 scores 0.4875
        var router = new Router(HandModels.Verbalized(tau: 0.5));

        // When a plain answer is routed
        var routed = router.Route(Moderation("0", confidence));

        // Then it is trusted above tau and escalated to the ordinary review queue below it
        Assert.Equal(HandModels.VerbalizedScore(confidence / 100), routed.Score, 15);
        Assert.Equal(trusted, routed.Trust);
        Assert.Equal(trusted ? "confident" : "low_confidence", Queues.ReasonName(routed.Reason));
        Assert.Equal(queue, routed.Queue);
        Assert.Equal(0.5, routed.Tau);
        Assert.Equal("0", routed.Outcome);
        Assert.Equal("x", routed.Id);
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

    private static DecisionRecord Moderation(string? outcome, double confidence) => new()
    {
        Id = "x",
        Schema = LabelSchema.Moderation,
        Output = new LlmOutput { Outcome = outcome, OutcomeTopLogprobs = [new("0", -0.001), new("1", -7)], VerbalizedConfidence = confidence },
    };
}
