using System.Text;
using System.Text.Json.Nodes;

namespace Lpp.Tests;

/// <summary>
/// The model file on hand models (no ../shared): the written header, each refusal with exactly its reason, boundary
/// values, and <see cref="EscalationModelFile.WithSeverityCosts"/> (the rewrite <c>lpp serve</c> makes of a model file
/// with other costs). Checksums are recomputed here independently of the loader (<see cref="IndependentChecksum"/>).
/// </summary>
public sealed partial class EscalationModelFileTests
{
    private const string SpamCosts = """{"default": {"c_error": 1, "c_review": 0.64}, "by": "concept", "values": {"spam": {"c_error": 0.5, "c_review": 0.25}}}""";
    private const string CsamCosts = """{"default": {"c_error": 2, "c_review": 0.5}, "by": "concept", "values": {"csam": {"c_error": 50, "c_review": 0.64}}}""";

    [Fact]
    public void Write_CreatedWithAnOffset_IsWrittenInUtcToTheSecond()
    {
        // Given 14:00:00.5 at +02:00, which is 12:00:00.5 UTC
        var created = new DateTimeOffset(2026, 11, 25, 14, 0, 0, 500, TimeSpan.FromHours(2));
        using var stream = new MemoryStream();

        // When a model is written with it
        EscalationModelFile.Write(HandModels.Verbalized(0.5), stream, created);

        // Then the header is format, format_version, created (UTC, whole seconds, "Z"), checksum, in that order
        var names = JsonNode.Parse(stream.ToArray())!.AsObject().Select(p => p.Key).Take(4);
        Assert.Equal(["format", "format_version", "created", "checksum"], names);
        Assert.Contains("\"created\": \"2026-11-25T12:00:00Z\"", Encoding.UTF8.GetString(stream.ToArray()), StringComparison.Ordinal);
    }

    [Fact]
    public void WithSeverityCosts_FileWithCosts_ReplacesTheSectionInPlaceAndKeepsEverythingElse()
    {
        // Given a hand model's file that carries costs by severity (spam)
        var model = HandModels.Verbalized(0.5).WithSeverityCosts(Costs(SpamCosts));
        var original = Written(model);

        // When its costs are replaced by others (csam)
        var rewritten = EscalationModelFile.WithSeverityCosts(original, Costs(CsamCosts));

        // Then the file is what writing the model with those costs gives, byte for byte (created kept), the section
        // appears once, its checksum is the independent one, and it loads with the new costs
        Assert.Equal(Encoding.UTF8.GetString(Written(HandModels.Verbalized(0.5).WithSeverityCosts(Costs(CsamCosts)))), Encoding.UTF8.GetString(rewritten));
        var node = JsonNode.Parse(rewritten)!.AsObject();
        Assert.Equal(IndependentChecksum(node), node["checksum"]!.GetValue<string>());
        Assert.Single(node, p => p.Key == "severity_costs");
        var loaded = EscalationModelFile.Parse(rewritten).SeverityCosts!;
        Assert.Equal(new CostModel(CostForm.Paper, 2, 0.5), loaded.Default);
        Assert.Equal(new CostModel(CostForm.Paper, 50, 0.64), Assert.Single(loaded.Values).Value);
    }

    [Fact]
    public void WithSeverityCosts_FileWithoutCosts_AddsTheSectionAtTheEnd()
    {
        // Given a hand model's file without costs by severity, its created field removed by hand
        var node = JsonNode.Parse(Written(HandModels.Verbalized(0.5)))!.AsObject();
        Assert.False(node.ContainsKey("severity_costs"));
        node.Remove("created");
        var before = node.Select(p => p.Key).ToList();

        // When costs are added
        var rewritten = JsonNode.Parse(EscalationModelFile.WithSeverityCosts(Encoding.UTF8.GetBytes(node.ToJsonString()), Costs(SpamCosts)))!.AsObject();

        // Then every property stays in its place, the costs come last, there is still no created, and the checksum is
        // the independent one
        Assert.Equal([.. before, "severity_costs"], rewritten.Select(p => p.Key));
        Assert.Equal(IndependentChecksum(rewritten), rewritten["checksum"]!.GetValue<string>());
        Assert.Equal("spam", rewritten["severity_costs"]!["values"]!.AsObject().Single().Key);
    }

    [Fact]
    public void WithSeverityCosts_NoCosts_Throws()
    {
        Assert.Throws<ArgumentNullException>(() => EscalationModelFile.WithSeverityCosts(Written(HandModels.Verbalized(0.5)), null!));
    }

    [Theory]
    [InlineData("format", "1", "not a model file (no \"format\": \"lpp-escalation-model\")")]
    [InlineData("format", null, "not a model file (no \"format\": \"lpp-escalation-model\")")]
    [InlineData("recipe", "1", "invalid model: field 'recipe' must be a string")]
    [InlineData("tau", "\"0.5\"", "invalid model: field 'tau' must be a finite number")]
    [InlineData("cost_model", "1", "invalid model: missing field 'form'")]
    [InlineData("cost_model", "{\"form\": \"paper\", \"c_error\": 1, \"c_review\": 2}", "invalid model: cost-review must be less than cost-error (got 2 and 1): a review that costs as much as the error it prevents is never worth it, and tau would be 0 (trust everything)")]
    [InlineData("features.top_k", "2.5", "invalid model: features.top_k must be a whole number at least 1")]
    [InlineData("folds", "[]", "invalid model: folds is empty")]
    [InlineData("folds.0.calibrator", "{\"method\": \"beta\"}", "invalid model: calibrator method 'beta' is not one of sigmoid, isotonic")]
    [InlineData("folds.0.calibrator", "{\"method\": \"isotonic\", \"x\": [1, 0], \"y\": [0, 1]}", "invalid model: threshold 1 is 0; thresholds must be finite and strictly increasing")]
    [InlineData("baselines", "[{\"name\": \"b\", \"feature\": \"no_such_feature\", \"sign\": 1, \"tau\": 0.5}]", "invalid model: baseline 'b' reads unknown feature 'no_such_feature'")]
    [InlineData("guarantee", "{\"feasible\": \"yes\"}", "invalid model: field 'feasible' must be true or false")]
    [InlineData("severity_costs", "{\"form\": \"paper\", \"default\": {\"c_error\": 0, \"c_review\": 0.64}}", "invalid model: severity_costs: default.c_error must be a positive number (got 0)")]
    public void Parse_HandModelWithADamagedField_IsRefusedWithExactlyItsReason(string path, string? json, string reason)
    {
        // Given a hand model's file with one field replaced (or removed: null), its checksum recomputed
        var node = JsonNode.Parse(Written(HandModels.Verbalized(0.5)))!.AsObject();
        Replace(node, path, json);
        node["checksum"] = IndependentChecksum(node);

        // When it is parsed, then it is refused with exactly that reason, on one line (no exception's parameter suffix)
        var e = Assert.Throws<ModelFileException>(() => EscalationModelFile.Parse(Encoding.UTF8.GetBytes(node.ToJsonString())));
        Assert.Equal(reason, e.Message);
    }

    [Theory]
    [InlineData("[1]")]
    [InlineData("\"lpp-escalation-model\"")]
    public void Parse_NotAnObject_IsNotAModelFile(string json)
    {
        var e = Assert.Throws<ModelFileException>(() => EscalationModelFile.Parse(Encoding.UTF8.GetBytes(json)));

        Assert.Equal("not a model file (no \"format\": \"lpp-escalation-model\")", e.Message);
    }

    [Fact]
    public void Load_MissingFile_CannotReadNamingThePath()
    {
        using var dir = new TempDir();
        var path = dir.File("absent.json");

        var e = Assert.Throws<ModelFileException>(() => EscalationModelFile.Load(path));

        Assert.StartsWith($"{path}: cannot read (", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("features.top_k", "1")]
    [InlineData("severity_costs", "null")]
    public void Parse_HandModelWithABoundaryValue_Loads(string path, string json)
    {
        // Given a hand model's file with top_k at its least value 1, or severity_costs written as null (no costs)
        var node = JsonNode.Parse(Written(HandModels.Verbalized(0.5)))!.AsObject();
        Replace(node, path, json);
        node["checksum"] = IndependentChecksum(node);

        // When it is parsed, then it loads
        var model = EscalationModelFile.Parse(Encoding.UTF8.GetBytes(node.ToJsonString()));
        Assert.Equal(path == "features.top_k" ? 1 : 5, model.TopK);
        Assert.Null(model.SeverityCosts);
    }

    [Fact]
    public void Parse_PolicyWithoutDrawsAndAnInfeasibleGuarantee_RoundTrip()
    {
        // Given a hand model that deploys always-trust with no comparison recorded (no draws) and a guarantee that was
        // not feasible (no guaranteed threshold)
        var hand = HandModels.Verbalized(0.5);
        var guarantee = new TrustGuarantee
        {
            MaxTrustedError = 0.01,
            Confidence = 0.95,
            CalibrationRecords = 40,
            CalibrationErrors = 9,
            Scale = "learned score",
            Feasible = false,
            CostOptimalThreshold = 0.68,
            DeployedThreshold = 0.68,
            Trusted = 0,
            TrustedErrors = 0,
            UpperBound = 1,
        };
        var model = new EscalationModel(hand.Recipe, hand.FeatureNames, hand.TopK, hand.Imputer, hand.Scaler, hand.Ensemble, hand.LogisticRegression, hand.Tau, hand.Cost, hand.Baselines, hand.Provenance, hand.Options)
        {
            Policy = new DeploymentPolicy { Kind = PolicyKind.AlwaysTrust },
            Guarantee = guarantee,
        };

        // When it is written and parsed
        var text = Encoding.UTF8.GetString(Written(model));
        var loaded = EscalationModelFile.Parse(Encoding.UTF8.GetBytes(text));

        // Then the policy holds only its kind and the guarantee no guaranteed threshold, and both come back as they were
        var node = JsonNode.Parse(text)!.AsObject();
        Assert.Equal(["kind"], node["policy"]!.AsObject().Select(p => p.Key));
        Assert.False(node["guarantee"]!.AsObject().ContainsKey("guaranteed_threshold"));
        Assert.Equal(model.Policy, loaded.Policy);
        Assert.Equal(guarantee, loaded.Guarantee);
        Assert.True(double.IsNaN(loaded.Guarantee!.GuaranteedThreshold));
    }

    /// <summary>Sets the property at a dotted path (array elements by index) to <paramref name="json"/>, or removes it when null.</summary>
    private static void Replace(JsonObject root, string path, string? json)
    {
        var parts = path.Split('.');
        JsonNode parent = root;
        foreach (var part in parts[..^1])
        {
            parent = int.TryParse(part, out var index) ? parent[index]! : parent[part]!;
        }

        if (json is null)
        {
            parent.AsObject().Remove(parts[^1]);
        }
        else
        {
            parent[parts[^1]] = JsonNode.Parse(json);
        }
    }

    private static SeverityCosts Costs(string json) => SeverityCosts.Parse(Encoding.UTF8.GetBytes(json), CostForm.Paper);

    private static byte[] Written(EscalationModel model)
    {
        using var stream = new MemoryStream();
        EscalationModelFile.Write(model, stream, Created);
        return stream.ToArray();
    }
}
