namespace Lpp.Tests;

public sealed class TrainingProfileTests
{
    private static readonly DateTimeOffset Created = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Fit_TrainedModel_ProfilesEveryFeatureItReads()
    {
        // Given the default recipe trained on gpt-4o/sat
        var model = TrainedModels.GptSatDefault;

        // Then its profile lists the model's features in order, each with shares adding up to 1
        var profile = Assert.IsType<TrainingProfile>(model.Profile);
        Assert.Equal(model.FeatureNames, profile.Features.Select(f => f.Name));
        Assert.Equal(206, profile.Records);
        foreach (var feature in profile.Features.Append(profile.Score))
        {
            Assert.Equal(1, feature.Shares.Sum() + feature.MissingShare, 1e-9);
        }

        Assert.InRange(profile.EscalationRatio, 0, 1);
        Assert.InRange(profile.TrustedErrorRate, 0, 1);
    }

    [Fact]
    public void Fit_TrainedModel_ScoreProfileIsTheModelsOwnScores()
    {
        // Given the model and the records it was trained on
        var model = TrainedModels.GptSatDefault;
        var extractor = model.CreateExtractor();
        var scores = DecisionRecordReader.ReadValid(SharedData.Path("data/llm-confidence/gpt-4o/sat.jsonl"))
            .Where(r => r.Correct is not null)
            .Select(r => model.Score(extractor.Extract(r)))
            .ToArray();

        // When they are counted into the score bins, they reproduce the stored shares: PSI 0
        var counter = new BinCounter(model.Profile!.Score);
        foreach (var s in scores)
        {
            counter.Add(s);
        }

        Assert.Equal(0, model.Profile.Score.Psi(counter), 1e-12);
    }

    [Fact]
    public void Fit_EscalationRatioAndTrustedErrors_CountTheOutOfFoldDecisionsAtTau()
    {
        // Given a model deploying its learned score (gpt-4o/boolq) and out-of-fold scores by hand: tau 0.68 from the
        // defaults; 0.9 and 0.7 trusted, 0.5 and NaN escalated
        var model = TrainedModels.GptBoolqDefault;
        Assert.Equal(PolicyKind.Learned, model.Policy.Kind);
        var rows = Enumerable.Range(0, 4).ToArray();
        var features = TrainingSet.From(DecisionRecordReader.ReadValid(SharedData.Path("data/llm-confidence/gpt-4o/boolq.jsonl")), model.CreateExtractor()).Subset(rows).Features;

        var profile = TrainingProfile.Compute(model, features, [0.9, 0.7, 0.5, double.NaN], [true, false, true, false]);

        // Then 2 of 4 escalated and 1 of the 2 trusted wrong
        Assert.Equal(0.5, profile.EscalationRatio);
        Assert.Equal(0.5, profile.TrustedErrorRate);
    }

    [Fact]
    public void Fit_SimplePolicyDeployed_CountsThatPolicysDecisionsNotTheLearnedScore()
    {
        // Given a model deploying always-trust (gpt-4o/sat) and the same out-of-fold scores by hand
        var model = TrainedModels.GptSatDefault;
        Assert.Equal(PolicyKind.AlwaysTrust, model.Policy.Kind);
        var rows = Enumerable.Range(0, 4).ToArray();
        var features = TrainingSet.From(DecisionRecordReader.ReadValid(SharedData.Path("data/llm-confidence/gpt-4o/sat.jsonl")), model.CreateExtractor()).Subset(rows).Features;

        var profile = TrainingProfile.Compute(model, features, [0.9, 0.7, 0.5, double.NaN], [true, false, true, false]);

        // Then only the item escalated by rule (NaN) is escalated, 1 of 4, and 1 of the 3 trusted is wrong
        Assert.Equal(0.25, profile.EscalationRatio);
        Assert.Equal(1.0 / 3, profile.TrustedErrorRate, 12);
    }

    [Fact]
    public void Load_WrittenProfile_RoundTripsAndIsVerified()
    {
        // Given a model with its profile written to a file
        var model = TrainedModels.GptSatDefault;
        using var dir = new TempDir();
        var path = dir.File("model.json");
        using (var stream = File.Create(path))
        {
            EscalationModelFile.Write(model, stream, Created);
        }

        // When it is loaded, the profile is the same
        var loaded = EscalationModelFile.Load(path);
        Assert.Equal(model.Profile!.Score.Edges, loaded.Profile!.Score.Edges);
        Assert.Equal(model.Profile.Score.Shares, loaded.Profile.Score.Shares);
        Assert.Equal(model.Profile.Features.Length, loaded.Profile.Features.Length);
        Assert.Equal(model.Profile.TrustedErrorRate, loaded.Profile.TrustedErrorRate);

        // And a renamed bin set fails the checksum, shares that do not add up are refused by name
        var text = File.ReadAllText(path);
        File.WriteAllText(path, text.Replace("\"name\": \"score\"", "\"name\": \"scorf\"", StringComparison.Ordinal));
        Assert.Contains("checksum mismatch", Assert.Throws<ModelFileException>(() => EscalationModelFile.Load(path)).Message, StringComparison.Ordinal);
        var at = text.IndexOf("\"missing_share\": 0", StringComparison.Ordinal);
        File.WriteAllText(path, text[..at] + "\"missing_share\": 0.5" + text[(at + "\"missing_share\": 0".Length)..]);
        var e = Assert.Throws<ModelFileException>(() => EscalationModelFile.Load(path));
        Assert.Contains("invalid model: training_profile.score: shares must lie in [0, 1] and add up to 1", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_FileWrittenBeforeProfiles_LoadsWithoutOne()
    {
        // Given a model file written by lpp train before the training profile existed (checked in as it was)
        var path = Path.Combine(SharedData.RepositoryRoot, "tests", "Lpp.Tests", "Expected", "model-without-profile.json");

        // When it is loaded, then it has no profile but scores as before
        var model = EscalationModelFile.Load(path);
        Assert.Null(model.Profile);
        Assert.NotEmpty(model.FeatureNames);
    }
}
