using System.Buffers;
using System.Collections.Immutable;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;

namespace Lpp;

/// <summary>
/// The model file: one versioned JSON document holding everything an <see cref="EscalationModel"/> needs, with a
/// SHA-256 checksum over its own content (every field but <c>format</c>, <c>format_version</c>, <c>created</c> and
/// <c>checksum</c>, re-serialised compactly in file order; its recorded <c>tool_version</c> included). Loading checks the format version, every number, the checksum and the feature schema, and refuses
/// with a one-line reason. The same model always gives the same file apart from <c>created</c>.
/// </summary>
public static class EscalationModelFile
{
    /// <summary>The format name in every model file.</summary>
    public const string Format = "lpp-escalation-model";

    /// <summary>The format version this build writes and reads.</summary>
    public const int FormatVersion = 1;

    // A property, not a static field (a struct: no allocation): a static initializer runs once per process, so a mutant
    // of it was never seen by the mutation run's test process, which is reused across mutants (docs/mutation.md).
    private static JsonWriterOptions Indented => new() { Indented = true };

    /// <summary>The version of this tool, recorded in the files it writes.</summary>
    public static string ToolVersion { get; } =
        typeof(EscalationModelFile).Assembly.GetName().Version!.ToString(3); // a loaded assembly's name always has a version

    /// <summary>Writes <paramref name="model"/> as UTF-8 JSON to <paramref name="stream"/>, stamped with <paramref name="created"/>.</summary>
    public static void Write(EscalationModel model, Stream stream, DateTimeOffset created)
    {
        ArgumentNullException.ThrowIfNull(model);
        using var content = Content(model);
        using var writer = new Utf8JsonWriter(stream, Indented);
        writer.WriteStartObject();
        writer.WriteString("format", Format);
        writer.WriteNumber("format_version", FormatVersion);
        writer.WriteString("created", created.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture));
        writer.WriteString("checksum", ContentChecksum(content.RootElement));
        foreach (var property in content.RootElement.EnumerateObject())
        {
            property.WriteTo(writer);
        }

        writer.WriteEndObject();
    }

    /// <summary>
    /// The model file <paramref name="utf8Json"/> with its <c>severity_costs</c> section replaced by
    /// <paramref name="costs"/> (added at the end when it had none) and its checksum recomputed; every other property,
    /// <c>created</c> included, is kept as it was. Verify the file first (<see cref="Parse(ReadOnlySpan{byte})"/>): this
    /// only rewrites it.
    /// </summary>
    public static byte[] WithSeverityCosts(ReadOnlySpan<byte> utf8Json, SeverityCosts costs)
    {
        ArgumentNullException.ThrowIfNull(costs);
        using var original = JsonDocument.Parse(utf8Json.ToArray());
        var buffer = new ArrayBufferWriter<byte>(utf8Json.Length + 512);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            var replaced = false;
            foreach (var property in original.RootElement.EnumerateObject())
            {
                if (property.NameEquals(SeverityCostsSection))
                {
                    writer.WritePropertyName(SeverityCostsSection);
                    costs.Write(writer);
                    replaced = true;
                }
                else if (!(property.NameEquals("format") || property.NameEquals("format_version") || property.NameEquals("created") || property.NameEquals("checksum")))
                {
                    property.WriteTo(writer);
                }
            }

            if (!replaced)
            {
                writer.WritePropertyName(SeverityCostsSection);
                costs.Write(writer);
            }

            writer.WriteEndObject();
        }

        using var content = JsonDocument.Parse(buffer.WrittenMemory);
        using var output = new MemoryStream(buffer.WrittenCount + 1024);
        using (var writer = new Utf8JsonWriter(output, Indented))
        {
            writer.WriteStartObject();
            writer.WriteString("format", Format);
            writer.WriteNumber("format_version", FormatVersion);
            if (original.RootElement.TryGetProperty("created", out var created))
            {
                writer.WritePropertyName("created");
                created.WriteTo(writer);
            }

            writer.WriteString("checksum", ContentChecksum(content.RootElement));
            foreach (var property in content.RootElement.EnumerateObject())
            {
                property.WriteTo(writer);
            }

            writer.WriteEndObject();
        }

        return output.ToArray();
    }

    /// <summary>The checksum <see cref="Write"/> records for <paramref name="model"/> written by this tool: "sha256:" and the hex digest of its content.</summary>
    public static string Checksum(EscalationModel model)
    {
        using var content = Content(model);
        return ContentChecksum(content.RootElement);
    }

    /// <summary>
    /// The checksum of a model document's own content: SHA-256 of its compact re-serialisation (properties in file
    /// order, numbers as written) without <c>format</c>, <c>format_version</c>, <c>created</c> and <c>checksum</c>.
    /// It covers the file's recorded <c>tool_version</c> and any optional section, never the reading tool's version,
    /// so a file keeps verifying in every later release.
    /// </summary>
    private static string ContentChecksum(JsonElement root)
    {
        var buffer = new ArrayBufferWriter<byte>(8192);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            foreach (var property in root.EnumerateObject())
            {
                if (property.NameEquals("format") || property.NameEquals("format_version") || property.NameEquals("created") || property.NameEquals("checksum"))
                {
                    continue;
                }

                property.WriteTo(writer);
            }

            writer.WriteEndObject();
        }

        return "sha256:" + Convert.ToHexStringLower(SHA256.HashData(buffer.WrittenSpan));
    }

    /// <summary>The model's content as this tool writes it (every field but format, version, created and checksum).</summary>
    private static JsonDocument Content(EscalationModel model)
    {
        var buffer = new ArrayBufferWriter<byte>(8192);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            WriteContent(writer, model);
            writer.WriteEndObject();
        }

        return JsonDocument.Parse(buffer.WrittenMemory);
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
    public static EscalationModel Parse(ReadOnlySpan<byte> utf8Json) => Parse(utf8Json, out _);

    /// <summary>Parses and verifies the bytes of a model file, giving the file's verified checksum.</summary>
    /// <exception cref="ModelFileException">As for <see cref="Load"/>.</exception>
    public static EscalationModel Parse(ReadOnlySpan<byte> utf8Json, out string checksum)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(utf8Json.ToArray());
        }
        catch (JsonException e)
        {
            // JsonDocument's reader messages end with the line and byte position; they have no " Path:" part (that is JsonSerializer's)
            throw new ModelFileException($"not a model file: invalid JSON ({e.Message})", e);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("format", out var format) || format.ValueKind != JsonValueKind.String || format.GetString() != Format)
            {
                throw new ModelFileException($"not a model file (no \"format\": \"{Format}\")");
            }

            double version;
            try
            {
                version = Number(root, "format_version");
            }
            catch (FormatException e)
            {
                throw new ModelFileException($"not a model file: {e.Message}", e);
            }

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
            var actual = ContentChecksum(root);
            if (!string.Equals(expected, actual, StringComparison.Ordinal))
            {
                throw new ModelFileException($"checksum mismatch: the file says {expected} but its content hashes to {actual} (edited or damaged)");
            }

            checksum = actual;
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
        foreach (var member in model.Ensemble?.Members ?? [])
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
        WriteLogisticRegression(w, model.LogisticRegression);
        WritePolicy(w, model.Policy);
        WriteGuarantee(w, model.Guarantee);
        ContributionGroupsJson.Write(w, model.ContributionGroups);
    }

    /// <summary>The optional <c>logistic_regression</c> section: the learned model when it is a logistic regression (then <c>folds</c> is empty).</summary>
    private static void WriteLogisticRegression(Utf8JsonWriter w, LogisticRegressionModel? logistic)
    {
        if (logistic is null)
        {
            return;
        }

        w.WriteStartObject("logistic_regression");
        Numbers(w, "coef", logistic.Coefficients);
        w.WriteNumber("intercept", logistic.Intercept);
        w.WriteEndObject();
    }

    private static LogisticRegressionModel? ReadLogisticRegression(JsonElement root) =>
        root.TryGetProperty("logistic_regression", out var e) ? new LogisticRegressionModel(Numbers(e, "coef"), Number(e, "intercept")) : null;

    /// <summary>The optional <c>policy</c> section: what is deployed and the comparison that chose it; absent for a learned model deployed without one.</summary>
    private static void WritePolicy(Utf8JsonWriter w, DeploymentPolicy policy)
    {
        if (policy == DeploymentPolicy.LearnedModel)
        {
            return;
        }

        w.WriteStartObject("policy");
        w.WriteString("kind", policy.Kind.Name());
        if (policy.Signal is { } signal)
        {
            w.WriteStartObject("signal");
            w.WriteString("name", signal.Name);
            w.WriteString("feature", signal.Feature);
            w.WriteNumber("sign", signal.Sign);
            w.WriteNumber("tau", signal.Tau);
            w.WriteEndObject();
        }

        if (policy.Draws > 0)
        {
            w.WriteString("learned", policy.Learned);
            w.WriteNumber("learned_cost", policy.LearnedCost);
            w.WriteString("simple", policy.Simple);
            w.WriteNumber("simple_cost", policy.SimpleCost);
            w.WriteNumber("probability_learned_cheaper", policy.ProbabilityLearnedCheaper);
            w.WriteNumber("required_probability", policy.RequiredProbability);
            w.WriteNumber("draws", policy.Draws);
        }

        w.WriteEndObject();
    }

    private static DeploymentPolicy ReadPolicy(JsonElement root)
    {
        if (!root.TryGetProperty("policy", out var e))
        {
            return DeploymentPolicy.LearnedModel;
        }

        var policy = new DeploymentPolicy { Kind = PolicyKinds.Parse(Text(e, "kind")) };
        if (e.TryGetProperty("signal", out var signal))
        {
            policy = policy with { Signal = new BaselineThreshold(Text(signal, "name"), Text(signal, "feature"), (int)Number(signal, "sign"), Number(signal, "tau")) };
        }

        if (e.TryGetProperty("draws", out _))
        {
            policy = policy with
            {
                Learned = Text(e, "learned"),
                LearnedCost = Number(e, "learned_cost"),
                Simple = Text(e, "simple"),
                SimpleCost = Number(e, "simple_cost"),
                ProbabilityLearnedCheaper = Number(e, "probability_learned_cheaper"),
                RequiredProbability = Number(e, "required_probability"),
                Draws = (int)Number(e, "draws"),
            };
        }

        return policy;
    }

    /// <summary>The optional <c>guarantee</c> section (<c>--max-trusted-error</c>).</summary>
    private static void WriteGuarantee(Utf8JsonWriter w, TrustGuarantee? g)
    {
        if (g is null)
        {
            return;
        }

        w.WriteStartObject("guarantee");
        w.WriteNumber("max_trusted_error", g.MaxTrustedError);
        w.WriteNumber("confidence", g.Confidence);
        w.WriteNumber("calibration_records", g.CalibrationRecords);
        w.WriteNumber("calibration_errors", g.CalibrationErrors);
        w.WriteString("scale", g.Scale);
        w.WriteBoolean("feasible", g.Feasible);
        if (g.Feasible)
        {
            w.WriteNumber("guaranteed_threshold", g.GuaranteedThreshold);
        }

        w.WriteNumber("cost_optimal_threshold", g.CostOptimalThreshold);
        w.WriteNumber("deployed_threshold", g.DeployedThreshold);
        w.WriteNumber("trusted", g.Trusted);
        w.WriteNumber("trusted_errors", g.TrustedErrors);
        w.WriteNumber("upper_bound", g.UpperBound);
        w.WriteEndObject();
    }

    private static TrustGuarantee? ReadGuarantee(JsonElement root)
    {
        if (!root.TryGetProperty("guarantee", out var e))
        {
            return null;
        }

        var feasible = Get(e, "feasible").ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw new FormatException("field 'feasible' must be true or false"),
        };
        return new TrustGuarantee
        {
            MaxTrustedError = Number(e, "max_trusted_error"),
            Confidence = Number(e, "confidence"),
            CalibrationRecords = (int)Number(e, "calibration_records"),
            CalibrationErrors = (int)Number(e, "calibration_errors"),
            Scale = Text(e, "scale"),
            Feasible = feasible,
            GuaranteedThreshold = feasible ? Number(e, "guaranteed_threshold") : double.NaN,
            CostOptimalThreshold = Number(e, "cost_optimal_threshold"),
            DeployedThreshold = Number(e, "deployed_threshold"),
            Trusted = (int)Number(e, "trusted"),
            TrustedErrors = (int)Number(e, "trusted_errors"),
            UpperBound = Number(e, "upper_bound"),
        };
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
        var topK = Number(features, "top_k") is var k && k >= 1 && k <= int.MaxValue && k == Math.Floor(k)
            ? (int)k
            : throw new FormatException("features.top_k must be a whole number at least 1");
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
        var logistic = ReadLogisticRegression(root);
        if (members.IsEmpty == logistic is null)
        {
            throw new FormatException(logistic is null ? "folds is empty" : "a model holds either ridge folds or a logistic_regression, not both");
        }

        var baselines = Get(root, "baselines").EnumerateArray()
            .Select(b => new BaselineThreshold(Text(b, "name"), Text(b, "feature"), (int)Number(b, "sign"), Number(b, "tau")))
            .ToList();
        foreach (var baseline in baselines.Where(b => FeatureSchema.IndexOf(b.Feature) < 0))
        {
            throw new FormatException($"baseline '{baseline.Name}' reads unknown feature '{baseline.Feature}'");
        }

        var options = Get(root, "options").EnumerateObject().ToDictionary(
            p => p.Name,
            p => p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString()! : throw new FormatException($"options.{p.Name} must be a string"),
            StringComparer.Ordinal);
        var model = new EscalationModel(recipe, names, topK, imputer, scaler, members.IsEmpty ? null : new CalibratedRidgeModel(members), logistic, Number(root, "tau"), cost, baselines, ReadProvenance(Get(root, "provenance")), options)
        {
            Policy = ReadPolicy(root),
            Guarantee = ReadGuarantee(root),
        };
        model = model.WithProfile(TrainingProfileJson.Read(root, names)).WithSeverityCosts(ReadSeverityCosts(root));

        // A probe record with every feature missing (so every one at its median): numbers that are each finite can
        // still combine into a score that is not (a zero scale, overflowing coefficients), which would route nonsense.
        Span<double> probe = stackalloc double[FeatureSchema.Count];
        probe.Fill(double.NaN);
        if (!double.IsFinite(model.Score(probe)))
        {
            throw new FormatException("its numbers give a non-finite score for a probe record (every feature at its median)");
        }

        model = model.WithContributionGroups(ContributionGroupsJson.Read(root, model.FeatureNames));
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
