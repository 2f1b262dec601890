using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Lpp.Tests;

public sealed partial class EscalationModelFileTests
{
    private static readonly DateTimeOffset Created = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Load_WrittenModel_RoundTripsWithTheSameScores()
    {
        // Given a trained model written to a file
        var model = TrainedModels.GptBoolqPaper;
        using var dir = new TempDir();
        var path = Write(model, dir.File("model.json"));

        // When it is loaded
        var loaded = EscalationModelFile.Load(path);

        // Then it is the same model: checksum, threshold, features and every score
        Assert.Equal(EscalationModelFile.Checksum(model), EscalationModelFile.Checksum(loaded));
        Assert.Equal(model.Tau, loaded.Tau);
        Assert.Equal(model.FeatureNames, loaded.FeatureNames);
        var extractor = model.CreateExtractor();
        foreach (var record in DecisionRecordReader.ReadValid(SharedData.Path("data/llm-confidence/gpt-4o/boolq.jsonl")).Take(200))
        {
            var features = extractor.Extract(record);
            Assert.Equal(model.Score(features), loaded.Score(features));
        }
    }

    [Fact]
    public void Load_ResamplingCounts_RoundTripInTheProvenance()
    {
        // Given a hand-written model whose provenance holds resampling counts
        var counts = new ResamplingCounts(Rows: 320, ProtectedRows: 61, AfterTomek: 300, Kept: 192, ProtectedKept: 61);
        var model = WithProvenance(HandModels.Verbalized(0.5), new ModelProvenance { Resampling = counts });
        using var dir = new TempDir();

        // When it is written and loaded
        var text = File.ReadAllText(Write(model, dir.File("model.json")));
        var loaded = EscalationModelFile.Parse(Encoding.UTF8.GetBytes(text));

        // Then the counts come back, under provenance.resampling with the names the file documents
        Assert.Equal(counts, loaded.Provenance.Resampling);
        Assert.Contains("\"protected_kept\": 61", text, StringComparison.Ordinal);
        Assert.Equal(EscalationModelFile.Checksum(model), EscalationModelFile.Checksum(loaded));
    }

    [Fact]
    public void Load_NoResamplingSection_IsNull()
    {
        var model = HandModels.Verbalized(0.5);
        using var stream = new MemoryStream();
        EscalationModelFile.Write(model, stream, Created);

        Assert.DoesNotContain("resampling", Encoding.UTF8.GetString(stream.ToArray()), StringComparison.Ordinal);
        Assert.Null(EscalationModelFile.Parse(stream.ToArray()).Provenance.Resampling);
    }

    [Theory]
    [InlineData("\"kept\": 192", "\"kept\": -1", "field 'kept' must be a count")]
    [InlineData("\"rows\": 320", "\"rows\": 3.5", "field 'rows' must be a count")]
    public void Load_BadResamplingCount_IsRefusedNamingTheField(string find, string replace, string reason)
    {
        var model = WithProvenance(HandModels.Verbalized(0.5), new ModelProvenance { Resampling = new ResamplingCounts(320, 61, 300, 192, 61) });
        using var stream = new MemoryStream();
        EscalationModelFile.Write(model, stream, Created);
        var text = Encoding.UTF8.GetString(stream.ToArray()).Replace(find, replace, StringComparison.Ordinal);

        var e = Assert.Throws<ModelFileException>(() => EscalationModelFile.Parse(Encoding.UTF8.GetBytes(text)));

        Assert.Equal($"invalid model: {reason} (a whole number at least 0)", e.Message);
    }

    [Fact]
    public void Write_SameModel_SameBytesApartFromTheTimestamp()
    {
        var model = SatModel();
        using var first = new MemoryStream();
        using var second = new MemoryStream();
        EscalationModelFile.Write(model, first, Created);
        EscalationModelFile.Write(model, second, Created.AddDays(3));

        Assert.Equal(WithoutCreated(first.ToArray()), WithoutCreated(second.ToArray()));
        Assert.NotEqual(first.ToArray(), second.ToArray());
    }

    [Fact]
    public void Write_SatModel_ChangeDetector_MatchesTheCheckedInFile()
    {
        // The model file is a public artifact: its layout is pinned by tests/Lpp.Tests/Expected/gpt-4o-sat-default.model.json.
        // After a deliberate change, regenerate it as tests/Lpp.Tests/Expected/README.md says (./lpp train on
        // ../shared/data/llm-confidence/gpt-4o/sat.jsonl) and review the diff.
        var path = SharedData.Path("data/llm-confidence/gpt-4o/sat.jsonl");
        var records = DecisionRecordReader.ReadValid(path).ToList();
        var model = new EscalationTrainer().Fit(TrainingSet.From(records, new LppFeatureExtractor()), [InputFileInfo.Of(path)]);
        model = model.WithTrainingShape(TrainingShape.Of(records, model.FeatureNames));
        using var stream = new MemoryStream();
        EscalationModelFile.Write(model, stream, Created);
        var expected = File.ReadAllBytes(SatModelFile);

        // Compared apart from what depends on where the file was read from: its path, and so the checksum, and the timestamp
        Assert.Equal(Portable(expected), Portable(stream.ToArray()));
    }

    [Theory]
    [InlineData("\"tau\": ", "\"tau\": 0.5, \"x\": ", "checksum mismatch")]
    [InlineData("\"format_version\": 1", "\"format_version\": 2", "model format version 2 is not supported (this lpp reads version 1)")]
    [InlineData("\"format\": \"lpp-escalation-model\"", "\"format\": \"something\"", "not a model file")]
    [InlineData("\"format_version\": 1,", "", "not a model file: missing field 'format_version'")]
    [InlineData("\"top_k\": 5", "\"top_k\": 0", "invalid model: features.top_k must be a whole number at least 1")]
    [InlineData("\"recipe\": \"default\"", "\"recipe\": \"magic\"", "invalid model: recipe 'magic' is not one of default, paper")]
    [InlineData("\"names\": [\n      \"", "\"names\": [\n      \"no_such_feature\", \"", "invalid model: ")]
    [InlineData("\"names\": [\n      \"", "\"names\": [\n      null, \"", "invalid model: features.names holds a null")]
    [InlineData("\"options\": {", "\"options\": {\"extra\": null,", "invalid model: options.extra must be a string")]
    public void Load_DamagedFile_IsRefusedWithAOneLineReason(string find, string replace, string reason)
    {
        // Given a model file changed by hand
        using var dir = new TempDir();
        var path = Write(SatModel(), dir.File("model.json"));
        var text = File.ReadAllText(path);
        Assert.Contains(find, text, StringComparison.Ordinal);
        File.WriteAllText(path, ReplaceFirst(text, find, replace));

        // When it is loaded, then it is refused, naming the file and the reason on one line
        var e = Assert.Throws<ModelFileException>(() => EscalationModelFile.Load(path));
        Assert.StartsWith($"{path}: {reason}", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void Load_NotJson_IsRefused()
    {
        using var dir = new TempDir();
        var path = dir.Write("model.json", "{ not json");

        var e = Assert.Throws<ModelFileException>(() => EscalationModelFile.Load(path));

        Assert.StartsWith($"{path}: not a model file: invalid JSON", e.Message, StringComparison.Ordinal);
        Assert.EndsWith("LineNumber: 0 | BytePositionInLine: 2.)", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_NonFiniteNumber_IsRefused()
    {
        using var dir = new TempDir();
        var path = Write(SatModel(), dir.File("model.json"));
        File.WriteAllText(path, TauPattern().Replace(File.ReadAllText(path), "\"tau\": 1e999,", 1));

        var e = Assert.Throws<ModelFileException>(() => EscalationModelFile.Load(path));

        Assert.Equal($"{path}: invalid model: field 'tau' must be a finite number", e.Message);
    }

    [Fact]
    public void Load_FileWrittenByRelease0b18dab_LoadsWithItsRecordedChecksum()
    {
        // Given the model file written by the release of 2026-11-30 (commit 0b18dab, tool_version 0.1.0), checked in as is:
        //   ./lpp train --input ../shared/data/llm-confidence/gpt-4o/sat.jsonl --output tests/Lpp.Tests/Training/Fixtures/model-v1-release-0b18dab.json
        var path = ReleaseFixture;

        // When this build loads it
        var model = EscalationModelFile.Parse(File.ReadAllBytes(path), out var checksum);

        // Then it verifies, with the checksum and τ the file records (copied from the file, not computed here)
        Assert.Equal("sha256:8ef2cf25abe393b3ae08206ca13df54e5cc7bc1c1bdd158e7584dcee33aa8496", checksum);
        Assert.Equal(0.6799999999999999, model.Tau);
        Assert.Equal(5, model.TopK);
    }

    [Fact]
    public void Load_FileOfAnotherToolVersion_VerifiesAgainstItsOwnContent()
    {
        // Given the release file with its tool_version changed and its checksum recomputed here, independently of
        // the loader: SHA-256 of the compact JSON of every field but format, format_version, created and checksum
        var node = JsonNode.Parse(File.ReadAllText(ReleaseFixture))!.AsObject();
        node["tool_version"] = "99.1.0";
        node["checksum"] = IndependentChecksum(node);
        using var dir = new TempDir();
        var path = dir.Write("model.json", node.ToJsonString());

        // When it is loaded, then it verifies: the reading tool's version is not part of the checksum
        var model = EscalationModelFile.Parse(File.ReadAllBytes(path), out var checksum);
        Assert.Equal(node["checksum"]!.GetValue<string>(), checksum);
        Assert.Equal(0.6799999999999999, model.Tau);
    }

    [Fact]
    public void Load_ToolVersionEditedWithoutItsChecksum_IsRefused()
    {
        // Given the release file with only its recorded tool_version changed
        var text = File.ReadAllText(ReleaseFixture);
        using var dir = new TempDir();
        var path = dir.Write("model.json", ReplaceFirst(text, "\"tool_version\": \"0.1.0\"", "\"tool_version\": \"0.2.0\""));

        // When it is loaded, then the checksum catches it: the recorded version is part of the content
        var e = Assert.Throws<ModelFileException>(() => EscalationModelFile.Load(path));
        Assert.StartsWith($"{path}: checksum mismatch", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_NumbersThatMakeTheProbeScoreNonFinite_IsRefused()
    {
        // Given the release file with every scaler mean at 1e308 and every scale at 1e-300 (each finite, so each passes
        // its own check), its checksum recomputed: every standardised value is -inf, and the ridge's coefficients of
        // both signs add to NaN
        var node = JsonNode.Parse(File.ReadAllText(ReleaseFixture))!.AsObject();
        var scaler = node["scaler"]!.AsObject();
        var count = scaler["mean"]!.AsArray().Count;
        scaler["mean"] = new JsonArray([.. Enumerable.Range(0, count).Select(_ => (JsonNode?)JsonValue.Create(1e308))]);
        scaler["scale"] = new JsonArray([.. Enumerable.Range(0, count).Select(_ => (JsonNode?)JsonValue.Create(1e-300))]);
        node["checksum"] = IndependentChecksum(node);
        using var dir = new TempDir();
        var path = dir.Write("model.json", node.ToJsonString());

        // When it is loaded, then it is refused on one line
        var e = Assert.Throws<ModelFileException>(() => EscalationModelFile.Load(path));
        Assert.Equal($"{path}: invalid model: its numbers give a non-finite score for a probe record (every feature at its median)", e.Message);
    }

    [Fact]
    public void Load_MediansThatMakeTheProbeScoreNonFinite_IsRefused()
    {
        // Given the release file with scaler means 0, scales 1e-300 and imputation medians 1e308: an all-zero record
        // scores finitely, but the probe (every feature missing, so at its median) standardises to inf, and the ridge's
        // coefficients of both signs add to NaN; checksum recomputed
        var node = JsonNode.Parse(File.ReadAllText(ReleaseFixture))!.AsObject();
        var count = node["scaler"]!["mean"]!.AsArray().Count;
        JsonArray Filled(double value) => [.. Enumerable.Range(0, count).Select(_ => (JsonNode?)JsonValue.Create(value))];
        node["scaler"]!["mean"] = Filled(0);
        node["scaler"]!["scale"] = Filled(1e-300);
        node["imputation"]!["medians"] = Filled(1e308);
        node["checksum"] = IndependentChecksum(node);

        // When it is parsed, then it is refused for the probe's score
        var e = Assert.Throws<ModelFileException>(() => EscalationModelFile.Parse(Encoding.UTF8.GetBytes(node.ToJsonString())));
        Assert.Equal("invalid model: its numbers give a non-finite score for a probe record (every feature at its median)", e.Message);
    }

    [Fact]
    public void Write_NullModel_Throws()
    {
        using var stream = new MemoryStream();

        Assert.Equal("model", Assert.Throws<ArgumentNullException>(() => EscalationModelFile.Write(null!, stream, Created)).ParamName);
        Assert.Equal(0, stream.Length);
    }

    [Fact]
    public void Write_Model_IsIndentedForReviewAndRecordsItsChecksum()
    {
        // Given a hand-written model written to a file
        var model = HandModels.Verbalized(0.5);
        using var stream = new MemoryStream();
        EscalationModelFile.Write(model, stream, Created);
        var text = Encoding.UTF8.GetString(stream.ToArray());

        // Then it is indented, one property a line, so that a reviewer can read and diff it
        Assert.StartsWith("{\n  \"format\": \"lpp-escalation-model\",\n  \"format_version\": 1,\n", text.ReplaceLineEndings("\n"), StringComparison.Ordinal);

        // And the checksum it records is Checksum(model), which is the SHA-256 of its content computed independently
        var checksum = JsonNode.Parse(text)!["checksum"]!.GetValue<string>();
        Assert.Equal(checksum, EscalationModelFile.Checksum(model));
        Assert.Equal(IndependentChecksum(JsonNode.Parse(text)!.AsObject()), checksum);
    }

    [Fact]
    public void Write_LearnedModel_HasNoPolicySection()
    {
        // A model that deploys its learned score writes no policy section, as files from before policies existed
        using var stream = new MemoryStream();
        EscalationModelFile.Write(HandModels.Verbalized(0.5), stream, Created);

        Assert.DoesNotContain("\"policy\"", Encoding.UTF8.GetString(stream.ToArray()), StringComparison.Ordinal);
        Assert.Equal(DeploymentPolicy.LearnedModel, EscalationModelFile.Parse(stream.ToArray()).Policy);
    }

    [Fact]
    public void Load_IsotonicMembers_RoundTripWithTheSameScores()
    {
        // Given a one-feature model whose member is calibrated isotonically (x 0, 1; y 0.2, 0.9)
        var model = VerbalizedCalibratedBy(new IsotonicCalibrator([0.0, 1], [0.2, 0.9]));
        using var stream = new MemoryStream();
        EscalationModelFile.Write(model, stream, Created);

        // When it is read back
        var loaded = EscalationModelFile.Parse(stream.ToArray());

        // Then the member is isotonic with the same points, and a verbalized confidence of 0.8 scores as the
        // interpolation at ridge decision 0.8 - 0.5 = 0.3: 0.2 + 0.3 x 0.7 = 0.41 (hand calculation)
        var calibrator = Assert.IsType<IsotonicCalibrator>(Assert.Single(loaded.Ensemble!.Members).Calibrator);
        Assert.Equal([0.0, 1], calibrator.Thresholds);
        Assert.Equal([0.2, 0.9], calibrator.Values);
        Span<double> features = stackalloc double[FeatureSchema.Count];
        features.Fill(double.NaN);
        features[Ix.VerbalizedConfidence] = 0.8;
        Assert.Equal(0.41, loaded.Score(features), 12);
        Assert.Equal(EscalationModelFile.Checksum(model), EscalationModelFile.Checksum(loaded));
    }

    [Fact]
    public void Write_CalibratorWithoutAFileForm_ThrowsNamingItsType()
    {
        var model = VerbalizedCalibratedBy(new HalfCalibrator());

        var e = Assert.Throws<InvalidOperationException>(() => EscalationModelFile.Write(model, new MemoryStream(), Created));

        Assert.Equal("calibrator HalfCalibrator has no file form", e.Message);
    }

    [Fact]
    public void Load_CountsAndTopKAtTheirLimits_RoundTrip()
    {
        // Given counts of 0 and int.MaxValue and top-k int.MaxValue (any positive whole number is a valid option)
        var counts = new ResamplingCounts(Rows: int.MaxValue, ProtectedRows: 0, AfterTomek: int.MaxValue, Kept: 0, ProtectedKept: 0);
        var m = WithProvenance(HandModels.Verbalized(0.5), new ModelProvenance { Resampling = counts });
        var model = new EscalationModel(m.Recipe, m.FeatureNames, int.MaxValue, m.Imputer, m.Scaler, m.Ensemble, m.LogisticRegression, m.Tau, m.Cost, m.Baselines, m.Provenance, m.Options);
        using var stream = new MemoryStream();
        EscalationModelFile.Write(model, stream, Created);

        // When it is read back, then both are as written
        var loaded = EscalationModelFile.Parse(stream.ToArray());
        Assert.Equal(counts, loaded.Provenance.Resampling);
        Assert.Equal(int.MaxValue, loaded.TopK);
    }

    [Fact]
    public void WithSeverityCosts_SmallDocument_AddsTheSection()
    {
        // Given a document far shorter than any model (the rewrite does not verify; Parse does that first)
        var costs = SeverityCosts.Parse(Encoding.UTF8.GetBytes("""{"default": {"c_error": 1, "c_review": 0.32}}"""), CostForm.Paper);

        // When severity costs are written into it, then it holds them and nothing else changed
        var json = JsonNode.Parse(EscalationModelFile.WithSeverityCosts("""{"a": 1}"""u8, costs))!.AsObject();
        Assert.Equal(1, json["a"]!.GetValue<int>());
        Assert.Equal(0.32, json["severity_costs"]!["default"]!["c_review"]!.GetValue<double>());
    }

    /// <summary>A calibrator the model file has no form for.</summary>
    private sealed class HalfCalibrator : IScoreCalibrator
    {
        public CalibrationMethod Method => CalibrationMethod.Sigmoid;

        public double Probability(double score) => 0.5;
    }

    /// <summary>
    /// The default recipe's model of gpt-4o/sat, read from its checked-in file afresh at each call. Not
    /// <see cref="TrainedModels.GptSatDefault"/>: a model trained once and cached outlives the mutant it was made under
    /// in the mutation run's test process, which is reused across mutants (docs/mutation.md).
    /// </summary>
    private static EscalationModel SatModel() => EscalationModelFile.Load(SatModelFile);

    /// <summary>The checked-in default-recipe model of gpt-4o/sat (a change detector, tests/Lpp.Tests/Expected/README.md).</summary>
    private static string SatModelFile => Path.Combine(SharedData.RepositoryRoot, "tests", "Lpp.Tests", "Expected", "gpt-4o-sat-default.model.json");

    /// <summary><see cref="HandModels.Verbalized"/> (ridge coefficient 1, intercept −0.5) with its one member calibrated by <paramref name="calibrator"/>.</summary>
    private static EscalationModel VerbalizedCalibratedBy(IScoreCalibrator calibrator)
    {
        var m = HandModels.Verbalized(0.5);
        var member = new CalibratedRidgeMember(new RidgeClassifierModel([1.0], -0.5), calibrator);
        return new EscalationModel(m.Recipe, m.FeatureNames, m.TopK, m.Imputer, m.Scaler, new CalibratedRidgeModel([member]), null, m.Tau, m.Cost, m.Baselines, m.Provenance, m.Options);
    }

    private static string ReleaseFixture => Path.Combine(SharedData.RepositoryRoot, "tests", "Lpp.Tests", "Training", "Fixtures", "model-v1-release-0b18dab.json");

    private static string IndependentChecksum(JsonObject document)
    {
        var content = new JsonObject();
        foreach (var (name, value) in document)
        {
            if (name is not ("format" or "format_version" or "created" or "checksum"))
            {
                content[name] = value?.DeepClone();
            }
        }

        return "sha256:" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(content.ToJsonString())));
    }

    private static EscalationModel WithProvenance(EscalationModel m, ModelProvenance provenance) =>
        new(m.Recipe, m.FeatureNames, m.TopK, m.Imputer, m.Scaler, m.Ensemble, m.LogisticRegression, m.Tau, m.Cost, m.Baselines, provenance, m.Options) { Policy = m.Policy, Guarantee = m.Guarantee };

    private static string Write(EscalationModel model, string path)
    {
        using (var stream = File.Create(path))
        {
            EscalationModelFile.Write(model, stream, Created);
        }

        return path;
    }

    private static string WithoutCreated(byte[] json) =>
        CreatedPattern().Replace(Encoding.UTF8.GetString(json), string.Empty);

    private static string Portable(byte[] json) =>
        ChecksumPattern().Replace(PathPattern().Replace(WithoutCreated(json).ReplaceLineEndings("\n"), "\"path\": \"\""), string.Empty);

    private static string ReplaceFirst(string text, string find, string replace)
    {
        var at = text.IndexOf(find, StringComparison.Ordinal);
        return text[..at] + replace + text[(at + find.Length)..];
    }

    [GeneratedRegex("\"created\": \"[^\"]*\",")]
    private static partial Regex CreatedPattern();

    [GeneratedRegex("\"path\": \"[^\"]*\"")]
    private static partial Regex PathPattern();

    [GeneratedRegex("\"checksum\": \"[^\"]*\",")]
    private static partial Regex ChecksumPattern();

    [GeneratedRegex("\"tau\": [^,]*,")]
    private static partial Regex TauPattern();
}
