using System.Collections.Immutable;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;

namespace Lpp;

/// <summary>
/// The model file: one versioned JSON document holding everything an <see cref="EscalationModel"/> needs, with a
/// SHA-256 checksum over its content (every field but <c>created</c> and <c>checksum</c>, in the canonical form this
/// class writes). Loading checks the format version, every number, the checksum and the feature schema, and refuses
/// with a one-line reason. The same model always gives the same file apart from <c>created</c>.
/// </summary>
public static class EscalationModelFile
{
    /// <summary>The format name in every model file.</summary>
    public const string Format = "lpp-escalation-model";

    /// <summary>The format version this build writes and reads.</summary>
    public const int FormatVersion = 1;

    private static readonly JsonWriterOptions Indented = new() { Indented = true };

    /// <summary>The version of this tool, recorded in the files it writes.</summary>
    public static string ToolVersion { get; } =
        typeof(EscalationModelFile).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";

    /// <summary>Writes <paramref name="model"/> as UTF-8 JSON to <paramref name="stream"/>, stamped with <paramref name="created"/>.</summary>
    public static void Write(EscalationModel model, Stream stream, DateTimeOffset created)
    {
        ArgumentNullException.ThrowIfNull(model);
        using var writer = new Utf8JsonWriter(stream, Indented);
        writer.WriteStartObject();
        writer.WriteString("format", Format);
        writer.WriteNumber("format_version", FormatVersion);
        writer.WriteString("created", created.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture));
        writer.WriteString("checksum", Checksum(model));
        WriteContent(writer, model);
        writer.WriteEndObject();
    }

    /// <summary>The checksum of the model's content: "sha256:" and the hex digest of its canonical JSON.</summary>
    public static string Checksum(EscalationModel model)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            WriteContent(writer, model);
            writer.WriteEndObject();
        }

        return "sha256:" + Convert.ToHexStringLower(SHA256.HashData(buffer.ToArray()));
    }

    /// <summary>Reads and verifies a model file.</summary>
    /// <exception cref="ModelFileException">The file cannot be read, is not a model file, has another format version, holds a bad value or fails its checksum.</exception>
    public static EscalationModel Load(string path)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new ModelFileException($"{path}: cannot read ({e.Message})", e);
        }

        try
        {
            return Parse(bytes);
        }
        catch (ModelFileException e)
        {
            throw new ModelFileException($"{path}: {e.Message}", e);
        }
    }

    /// <summary>Parses and verifies the bytes of a model file.</summary>
    /// <exception cref="ModelFileException">As for <see cref="Load"/>.</exception>
    public static EscalationModel Parse(ReadOnlySpan<byte> utf8Json)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(utf8Json.ToArray());
        }
        catch (JsonException e)
        {
            throw new ModelFileException($"not a model file: invalid JSON ({e.Message.Split(" Path:", 2)[0]})", e);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("format", out var format) || format.ValueKind != JsonValueKind.String || format.GetString() != Format)
            {
                throw new ModelFileException($"not a model file (no \"format\": \"{Format}\")");
            }

            var version = Number(root, "format_version");
            if (version != FormatVersion)
            {
                throw new ModelFileException($"model format version {version.ToString(CultureInfo.InvariantCulture)} is not supported (this lpp reads version {FormatVersion})");
            }

            EscalationModel model;
            try
            {
                model = Build(root);
            }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException or FormatException or KeyNotFoundException)
            {
                throw new ModelFileException($"invalid model: {e.Message.Split(" (Parameter", 2)[0]}", e);
            }

            var expected = Text(root, "checksum");
            var actual = Checksum(model);
            if (!string.Equals(expected, actual, StringComparison.Ordinal))
            {
                throw new ModelFileException($"checksum mismatch: the file says {expected} but its content hashes to {actual} (edited or damaged)");
            }

            return model;
        }
    }

    private static void WriteContent(Utf8JsonWriter w, EscalationModel model)
    {
        w.WriteString("tool_version", ToolVersion);
        w.WriteString("recipe", model.Recipe.Name());
        w.WriteStartObject("options");
        foreach (var (key, value) in model.Options)
        {
            w.WriteString(key, value);
        }

        w.WriteEndObject();
        w.WriteStartObject("cost_model");
        w.WriteString("form", model.Cost.FormName);
        w.WriteNumber("c_error", model.Cost.CError);
        w.WriteNumber("c_review", model.Cost.CReview);
        w.WriteEndObject();
        w.WriteNumber("tau", model.Tau);
        w.WriteStartObject("features");
        w.WriteNumber("top_k", model.TopK);
        Strings(w, "names", model.FeatureNames);
        Strings(w, "families", model.FeatureNames.Select(n => FeatureSchema.All[FeatureSchema.IndexOf(n)].Family.ToString()));
        w.WriteEndObject();
        w.WriteStartObject("imputation");
        Numbers(w, "medians", model.Imputer.Medians);
        w.WriteEndObject();
        w.WriteStartObject("scaler");
        Numbers(w, "mean", model.Scaler.Mean);
        Numbers(w, "scale", model.Scaler.Scale);
        w.WriteEndObject();
        w.WriteStartArray("folds");
        foreach (var member in model.Ensemble.Members)
        {
            w.WriteStartObject();
            Numbers(w, "coef", member.Ridge.Coefficients);
            w.WriteNumber("intercept", member.Ridge.Intercept);
            w.WriteStartObject("calibrator");
            switch (member.Calibrator)
            {
                case PlattCalibrator platt:
                    w.WriteString("method", "sigmoid");
                    w.WriteNumber("a", platt.A);
                    w.WriteNumber("b", platt.B);
                    break;
                case IsotonicCalibrator isotonic:
                    w.WriteString("method", "isotonic");
                    Numbers(w, "x", isotonic.Thresholds);
                    Numbers(w, "y", isotonic.Values);
                    break;
                default:
                    throw new InvalidOperationException($"calibrator {member.Calibrator.GetType().Name} has no file form");
            }

            w.WriteEndObject();
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteStartArray("baselines");
        foreach (var baseline in model.Baselines)
        {
            w.WriteStartObject();
            w.WriteString("name", baseline.Name);
            w.WriteString("feature", baseline.Feature);
            w.WriteNumber("sign", baseline.Sign);
            w.WriteNumber("tau", baseline.Tau);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        WriteProvenance(w, model.Provenance);
        if (model.Profile is { } profile)
        {
            TrainingProfileJson.Write(w, profile);
        }

        if (model.SeverityCosts is { } costs)
        {
            w.WritePropertyName(SeverityCostsSection);
            costs.Write(w);
        }

        if (model.TrainingShape is { } shape)
        {
            TrainingShapeJson.Write(w, shape);
        }
    }

    private static void WriteProvenance(Utf8JsonWriter w, ModelProvenance p)
    {
        w.WriteStartObject("provenance");
        w.WriteStartArray("inputs");
        foreach (var input in p.Inputs)
        {
            w.WriteStartObject();
            w.WriteString("path", input.Path);
            w.WriteString("sha256", input.Sha256);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteNumber("records", p.Records);
        w.WriteNumber("errors", p.Errors);
        w.WriteNumber("without_truth", p.WithoutTruth);
        w.WriteString("configuration", p.Configuration);
        w.WriteString("cv_metric", p.CvMetric);
        w.WriteNumber("cv_score", p.CvScore);
        w.WriteNumber("configurations_evaluated", p.ConfigurationsEvaluated);
        w.WriteNumber("distinct_configurations", p.DistinctConfigurations);
        w.WriteStartArray("top_cv");
        foreach (var result in p.TopCv)
        {
            w.WriteStartObject();
            w.WriteString("configuration", result.Configuration);
            w.WriteNumber("score", result.Score);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteString("threshold_data", p.ThresholdData);
        w.WriteStartObject("validation_costs");
        foreach (var (name, cost) in p.ValidationCosts)
        {
            w.WriteNumber(name, cost);
        }

        w.WriteEndObject();
        WriteResampling(w, p.Resampling);
        w.WriteEndObject();
    }

    private const string SeverityCostsSection = "severity_costs";

    private static SeverityCosts? ReadSeverityCosts(JsonElement root)
    {
        if (!root.TryGetProperty(SeverityCostsSection, out var section) || section.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        try
        {
            return SeverityCosts.Parse(System.Text.Encoding.UTF8.GetBytes(section.GetRawText()), CostModel.ParseForm(Text(section, "form")));
        }
        catch (FormatException e)
        {
            throw new FormatException($"{SeverityCostsSection}: {e.Message}", e);
        }
    }

    /// <summary>The optional <c>provenance.resampling</c> section: written only by recipes that resample.</summary>
    private static void WriteResampling(Utf8JsonWriter w, ResamplingCounts? counts)
    {
        if (counts is null)
        {
            return;
        }

        w.WriteStartObject("resampling");
        w.WriteNumber("rows", counts.Rows);
        w.WriteNumber("protected_rows", counts.ProtectedRows);
        w.WriteNumber("after_tomek", counts.AfterTomek);
        w.WriteNumber("kept", counts.Kept);
        w.WriteNumber("protected_kept", counts.ProtectedKept);
        w.WriteEndObject();
    }

    private static ResamplingCounts? ReadResampling(JsonElement provenance) =>
        provenance.TryGetProperty("resampling", out var r)
            ? new ResamplingCounts(Count(r, "rows"), Count(r, "protected_rows"), Count(r, "after_tomek"), Count(r, "kept"), Count(r, "protected_kept"))
            : null;

    private static int Count(JsonElement e, string name)
    {
        var value = Number(e, name);
        return value >= 0 && value <= int.MaxValue && value == Math.Floor(value) ? (int)value : throw new FormatException($"field '{name}' must be a count (a whole number at least 0)");
    }

    private static EscalationModel Build(JsonElement root)
    {
        var recipe = RecipeNames.Parse(Text(root, "recipe"));
        var costElement = Get(root, "cost_model");
        var cost = new CostModel(CostModel.ParseForm(Text(costElement, "form")), Number(costElement, "c_error"), Number(costElement, "c_review"));
        cost.Validate();
        var features = Get(root, "features");
        var names = Get(features, "names").EnumerateArray().Select(e => e.GetString() ?? throw new FormatException("features.names holds a null")).ToList();
        var topK = (int)Number(features, "top_k");
        var imputer = new MedianImputerModel(Numbers(Get(root, "imputation"), "medians"));
        var scalerElement = Get(root, "scaler");
        var scaler = new StandardScalerModel(Numbers(scalerElement, "mean"), Numbers(scalerElement, "scale"));
        var members = Get(root, "folds").EnumerateArray().Select(fold =>
        {
            var ridge = new RidgeClassifierModel(Numbers(fold, "coef"), Number(fold, "intercept"));
            var calibrator = Get(fold, "calibrator");
            IScoreCalibrator fitted = Text(calibrator, "method") switch
            {
                "sigmoid" => new PlattCalibrator(Number(calibrator, "a"), Number(calibrator, "b")),
                "isotonic" => new IsotonicCalibrator(Numbers(calibrator, "x"), Numbers(calibrator, "y")),
                var other => throw new FormatException($"calibrator method '{other}' is not one of sigmoid, isotonic"),
            };
            return new CalibratedRidgeMember(ridge, fitted);
        }).ToImmutableArray();
        if (members.IsEmpty)
        {
            throw new FormatException("folds is empty");
        }

        var baselines = Get(root, "baselines").EnumerateArray()
            .Select(b => new BaselineThreshold(Text(b, "name"), Text(b, "feature"), (int)Number(b, "sign"), Number(b, "tau")))
            .ToList();
        foreach (var baseline in baselines.Where(b => FeatureSchema.IndexOf(b.Feature) < 0))
        {
            throw new FormatException($"baseline '{baseline.Name}' reads unknown feature '{baseline.Feature}'");
        }

        var options = Get(root, "options").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString() ?? string.Empty, StringComparer.Ordinal);
        var model = new EscalationModel(recipe, names, topK, imputer, scaler, new CalibratedRidgeModel(members), Number(root, "tau"), cost, baselines, ReadProvenance(Get(root, "provenance")), options)
            .WithProfile(TrainingProfileJson.Read(root, names))
            .WithSeverityCosts(ReadSeverityCosts(root));
        return TrainingShapeJson.Read(root) is { } shape ? model.WithTrainingShape(shape) : model;
    }

    private static ModelProvenance ReadProvenance(JsonElement p) => new()
    {
        Inputs = [.. Get(p, "inputs").EnumerateArray().Select(i => new InputFileInfo(Text(i, "path"), Text(i, "sha256")))],
        Records = (int)Number(p, "records"),
        Errors = (int)Number(p, "errors"),
        WithoutTruth = (int)Number(p, "without_truth"),
        Configuration = Text(p, "configuration"),
        CvMetric = Text(p, "cv_metric"),
        CvScore = Number(p, "cv_score"),
        ConfigurationsEvaluated = (int)Number(p, "configurations_evaluated"),
        DistinctConfigurations = (int)Number(p, "distinct_configurations"),
        TopCv = [.. Get(p, "top_cv").EnumerateArray().Select(r => new CvResult(Text(r, "configuration"), Number(r, "score")))],
        ThresholdData = Text(p, "threshold_data"),
        ValidationCosts = Get(p, "validation_costs").EnumerateObject().ToDictionary(c => c.Name, c => Finite(c.Value, c.Name), StringComparer.Ordinal),
        Resampling = ReadResampling(p),
    };

    private static JsonElement Get(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var value) ? value : throw new FormatException($"missing field '{name}'");

    private static string Text(JsonElement e, string name)
    {
        var value = Get(e, name);
        return value.ValueKind == JsonValueKind.String ? value.GetString()! : throw new FormatException($"field '{name}' must be a string");
    }

    private static double Number(JsonElement e, string name) => Finite(Get(e, name), name);

    private static double Finite(JsonElement value, string name) =>
        value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var number) && double.IsFinite(number)
            ? number
            : throw new FormatException($"field '{name}' must be a finite number");

    private static ImmutableArray<double> Numbers(JsonElement e, string name) =>
        [.. Get(e, name).EnumerateArray().Select(v => Finite(v, name))];

    private static void Numbers(Utf8JsonWriter w, string name, IEnumerable<double> values)
    {
        w.WriteStartArray(name);
        foreach (var value in values)
        {
            w.WriteNumberValue(value);
        }

        w.WriteEndArray();
    }

    private static void Strings(Utf8JsonWriter w, string name, IEnumerable<string> values)
    {
        w.WriteStartArray(name);
        foreach (var value in values)
        {
            w.WriteStringValue(value);
        }

        w.WriteEndArray();
    }
}
