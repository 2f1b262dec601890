using System.Text;

namespace Lpp.Tests;

public sealed class TrainingShapeTests
{
    private static readonly string[] LogprobAndVerbalizedFeatures = ["topk_msp", "verbalized_confidence", "has_logprobs", "has_reasoning"];

    [Fact]
    public void Of_SignalOnEveryAnswer_IsRequiredOnlyWhenTheModelReadsIt()
    {
        // Given 100 answered records, all with log-probabilities and verbalized confidence, none with a band
        var records = Enumerable.Range(0, 100).Select(i => Record($"r{i}", "1", logprobs: true, verbalized: true)).ToList();

        // When the shape is taken for a model reading top-k and verbalized features (and the has_reasoning indicator)
        var shape = TrainingShape.Of(records, LogprobAndVerbalizedFeatures);

        // Then both signals it reads are required; reasoning (an indicator only) and band are not
        Assert.Equal([TrainingSignal.Logprobs, TrainingSignal.Verbalized], shape.Required.Order());
        Assert.Equal(100, shape.Records);
        Assert.Equal(100, shape.SignalRecords[TrainingSignal.Logprobs]);
        Assert.Equal(0, shape.SignalRecords[TrainingSignal.Band]);
    }

    [Fact]
    public void Of_SignalMissingOnMoreThanOnePercent_IsNotRequired()
    {
        // Given 100 answered records of which 2 lack log-probabilities (98% < the 99% threshold), and an abstention without any
        var records = Enumerable.Range(0, 100).Select(i => Record($"r{i}", "1", logprobs: i >= 2, verbalized: true))
            .Append(Record("abstained", "2", logprobs: false, verbalized: false)).ToList();

        // When the shape is taken
        var shape = TrainingShape.Of(records, LogprobAndVerbalizedFeatures);

        // Then log-probabilities are not required (a mixed training set), verbalized confidence is; the abstention is not counted
        Assert.Equal([TrainingSignal.Verbalized], shape.Required);
        Assert.Equal(100, shape.Records);
        Assert.Equal(98, shape.SignalRecords[TrainingSignal.Logprobs]);
    }

    [Fact]
    public void Check_RecordWithoutARequiredSignal_NamesTheField()
    {
        // Given a shape that requires log-probabilities
        var shape = TrainingShape.Of([Record("a", "1", logprobs: true, verbalized: true)], LogprobAndVerbalizedFeatures);

        // When an answer without them is checked
        var mismatch = shape.Check(Record("b", "0", logprobs: false, verbalized: true));

        // Then it is refused on output.outcome_top_logprobs
        Assert.NotNull(mismatch);
        Assert.Equal("output.outcome_top_logprobs", mismatch.Field);
        Assert.StartsWith("no log-probabilities (output.outcome_top_logprobs), which the model relies on: 100% of its training answers had them", mismatch.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_OtherLabels_AreRefusedOnTheLabelsField()
    {
        // Given a shape of moderation records
        var shape = TrainingShape.Of([Record("a", "1", logprobs: true, verbalized: true)], LogprobAndVerbalizedFeatures);

        // When a record with labels ["a", "b"] is checked (it has every signal)
        var other = Record("x", "a", logprobs: true, verbalized: true) with { Schema = new LabelSchema(["a", "b"]) };
        var mismatch = shape.Check(other);

        // Then it is refused on labels, naming both label sets
        Assert.NotNull(mismatch);
        Assert.Equal("labels", mismatch.Field);
        Assert.Equal("labels [\"a\",\"b\"] are not the labels the model was trained on ([\"0\",\"1\"])", mismatch.Reason);
    }

    [Fact]
    public void Check_SameLabelsOtherAbstentions_AreRefusedOnTheAbstentionLabels()
    {
        var shape = TrainingShape.Of([Record("a", "1", logprobs: true, verbalized: true)], LogprobAndVerbalizedFeatures);

        var other = Record("x", "1", logprobs: true, verbalized: true) with { Schema = new LabelSchema(["0", "1"], [new("2", Attribution.Evidence)]) };
        var mismatch = shape.Check(other);

        Assert.NotNull(mismatch);
        Assert.Equal("abstain_labels", mismatch.Field);
        Assert.Equal("abstention labels {\"2\": \"evidence\"} are not the ones the model was trained on ({\"2\": \"evidence\",\"3\": \"definition\"})", mismatch.Reason);
    }

    [Fact]
    public void Check_AbstentionWithoutSignals_Fits()
    {
        // Given a shape that requires log-probabilities and verbalized confidence
        var shape = TrainingShape.Of([Record("a", "1", logprobs: true, verbalized: true)], LogprobAndVerbalizedFeatures);

        // When an abstention and an unparseable answer without signals are checked
        // Then both fit: they are routed by rule, never by score
        Assert.Null(shape.Check(Record("b", "3", logprobs: false, verbalized: false)));
        Assert.Null(shape.Check(Record("c", null, logprobs: false, verbalized: false)));
    }

    [Fact]
    public void UnseenModel_OtherSourceModel_IsNamed()
    {
        // Given a shape of gpt-4o records
        var shape = TrainingShape.Of([Record("a", "1", logprobs: true, verbalized: true)], LogprobAndVerbalizedFeatures);

        // When records of gpt-4o and of another model are looked at
        // Then only the other model is named
        Assert.Null(shape.UnseenModel(Record("b", "1", logprobs: true, verbalized: true)));
        Assert.Equal("claude", shape.UnseenModel(Record("c", "1", logprobs: true, verbalized: true) with { Source = new SourceAttributes([new("model", "claude")]) }));
    }

    [Fact]
    public void Implied_ModelFileWithoutShape_RequiresEverySignalItsValueFeaturesRead()
    {
        // Given the pinned model file written before training shapes existed (it reads top-k, label, verbalized features and every has_* indicator)
        var model = EscalationModelFile.Load(PinnedModel);

        // When its shape is asked for
        // Then none is stored, and the implied one requires log-probabilities and verbalized confidence, not reasoning (has_reasoning only)
        Assert.Null(model.TrainingShape);
        Assert.Equal([TrainingSignal.Logprobs, TrainingSignal.Verbalized], model.ExpectedShape.Required.Order());
        Assert.Empty(model.ExpectedShape.LabelSets);
    }

    [Fact]
    public void ModelFile_WithShape_RoundTripsAndIsCoveredByTheChecksum()
    {
        // Given the pinned model with a training shape
        var shape = TrainingShape.Of([Record("a", "1", logprobs: true, verbalized: true)], LogprobAndVerbalizedFeatures);
        var model = EscalationModelFile.Load(PinnedModel).WithTrainingShape(shape);
        using var buffer = new MemoryStream();
        EscalationModelFile.Write(model, buffer, new DateTimeOffset(2026, 11, 30, 0, 0, 0, TimeSpan.Zero));
        var json = Encoding.UTF8.GetString(buffer.ToArray());

        // When it is read back, and read back after an edit of the shape
        var loaded = EscalationModelFile.Parse(buffer.ToArray());
        var edited = Assert.Throws<ModelFileException>(() => EscalationModelFile.Parse(Encoding.UTF8.GetBytes(json.Replace("\"required\": true", "\"required\": false", StringComparison.Ordinal))));

        // Then the shape survives whole, and an edited shape fails the checksum
        Assert.Contains("\"training_shape\"", json, StringComparison.Ordinal);
        Assert.NotNull(loaded.TrainingShape);
        Assert.Equal(shape.Required.Order(), loaded.TrainingShape.Required.Order());
        Assert.Equal(shape.LabelSets, loaded.TrainingShape.LabelSets);
        Assert.Equal(shape.SignalRecords, loaded.TrainingShape.SignalRecords);
        Assert.Equal(["gpt-4o"], loaded.TrainingShape.Sources["model"]);
        Assert.Contains("checksum mismatch", edited.Message, StringComparison.Ordinal);
    }

    private static string PinnedModel => Path.Combine(SharedData.RepositoryRoot, "tests", "Lpp.Tests", "Expected", "gpt-4o-sat-default.model.json");

    private static DecisionRecord Record(string id, string? outcome, bool logprobs, bool verbalized) => new()
    {
        Id = id,
        Schema = LabelSchema.Moderation,
        Source = new SourceAttributes([new("model", "gpt-4o")]),
        Truth = "1",
        Output = new LlmOutput
        {
            Outcome = outcome,
            VerbalizedConfidence = verbalized ? 80 : null,
            OutcomeTopLogprobs = logprobs ? [new TokenLogprob("1", -0.1), new TokenLogprob("0", -2.4)] : null,
        },
    };
}
