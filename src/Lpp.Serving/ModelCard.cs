using System.Globalization;
using System.Text.Json;

namespace Lpp.Serving;

/// <summary>
/// <c>GET /v1/model</c>: what the served model is (checksum, when it went into service), how it was made (recipe,
/// options, provenance) and how it decides (τ, cost model, features, baselines); and <c>"shadow"</c>, the card of the
/// shadow model that scores every decision beside it (<c>lpp serve --shadow-model</c>), or null.
/// </summary>
internal static class ModelCard
{
    public static void Write(Utf8JsonWriter w, ServedModel served, ServedModel? shadow)
    {
        w.WriteStartObject();
        WriteFields(w, served);
        if (shadow is null)
        {
            w.WriteNull("shadow"u8);
        }
        else
        {
            w.WriteStartObject("shadow"u8);
            WriteFields(w, shadow);
            w.WriteEndObject();
        }

        w.WriteEndObject();
    }

    private static void WriteFields(Utf8JsonWriter w, ServedModel served)
    {
        var model = served.Model;
        w.WriteString("checksum"u8, served.Checksum);
        w.WriteString("loaded_at"u8, served.LoadedAt.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture));
        w.WriteNumber("format_version"u8, EscalationModelFile.FormatVersion);
        w.WriteString("recipe"u8, model.Recipe.Name());
        w.WriteStartObject("options"u8);
        foreach (var (key, value) in model.Options)
        {
            w.WriteString(key, value);
        }

        w.WriteEndObject();
        w.WriteNumber("tau"u8, model.Tau);
        WritePolicy(w, model);
        w.WriteStartObject("cost_model"u8);
        w.WriteString("form"u8, model.Cost.FormName);
        w.WriteNumber("c_error"u8, model.Cost.CError);
        w.WriteNumber("c_review"u8, model.Cost.CReview);
        w.WriteEndObject();
        if (model.SeverityCosts is { } severity)
        {
            w.WritePropertyName("severity_costs"u8);
            severity.Write(w);
            w.WriteString("severity_costs_from"u8, served.CostsFromServe ? "serve --costs" : "model file");
        }

        w.WriteStartObject("features"u8);
        w.WriteNumber("top_k"u8, model.TopK);
        w.WriteStartArray("names"u8);
        foreach (var name in model.FeatureNames)
        {
            w.WriteStringValue(name);
        }

        w.WriteEndArray();
        w.WriteStartArray("families"u8);
        foreach (var name in model.FeatureNames)
        {
            w.WriteStringValue(FeatureSchema.All[FeatureSchema.IndexOf(name)].Family.ToString());
        }

        w.WriteEndArray();
        w.WriteEndObject();
        w.WriteStartArray("baselines"u8);
        foreach (var baseline in model.Baselines)
        {
            w.WriteStartObject();
            w.WriteString("name"u8, baseline.Name);
            w.WriteString("feature"u8, baseline.Feature);
            w.WriteNumber("tau"u8, baseline.Tau);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        var p = model.Provenance;
        w.WriteStartObject("provenance"u8);
        w.WriteStartArray("inputs"u8);
        foreach (var input in p.Inputs)
        {
            w.WriteStartObject();
            w.WriteString("path"u8, input.Path);
            w.WriteString("sha256"u8, input.Sha256);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteNumber("records"u8, p.Records);
        w.WriteNumber("errors"u8, p.Errors);
        w.WriteString("configuration"u8, p.Configuration);
        w.WriteString("cv_metric"u8, p.CvMetric);
        w.WriteNumber("cv_score"u8, p.CvScore);
        w.WriteString("threshold_data"u8, p.ThresholdData);
        w.WriteStartObject("validation_costs"u8);
        foreach (var (name, cost) in p.ValidationCosts)
        {
            w.WriteNumber(name, cost);
        }

        w.WriteEndObject();
        w.WriteEndObject();
    }

    /// <summary>What the model deploys (learned or a simple policy, and why) and, when trained with one, its guarantee with both thresholds and the bound.</summary>
    private static void WritePolicy(Utf8JsonWriter w, EscalationModel model)
    {
        var policy = model.Policy;
        w.WriteStartObject("policy"u8);
        w.WriteString("kind"u8, policy.Kind.Name());
        w.WriteString("name"u8, policy.Name);
        if (policy.Signal is { } signal)
        {
            w.WriteString("feature"u8, signal.Feature);
            w.WriteNumber("threshold"u8, signal.Tau);
        }

        w.WriteString("summary"u8, ModelDescription.Deployed(model));
        if (policy.Draws > 0)
        {
            w.WriteString("learned"u8, policy.Learned);
            w.WriteNumber("learned_cost"u8, policy.LearnedCost);
            w.WriteString("simple"u8, policy.Simple);
            w.WriteNumber("simple_cost"u8, policy.SimpleCost);
            w.WriteNumber("probability_learned_cheaper"u8, policy.ProbabilityLearnedCheaper);
            w.WriteNumber("required_probability"u8, policy.RequiredProbability);
        }

        w.WriteEndObject();
        if (model.Guarantee is not { } g)
        {
            return;
        }

        w.WriteStartObject("guarantee"u8);
        w.WriteNumber("max_trusted_error"u8, g.MaxTrustedError);
        w.WriteNumber("confidence"u8, g.Confidence);
        w.WriteBoolean("feasible"u8, g.Feasible);
        if (g.Feasible)
        {
            w.WriteNumber("guaranteed_threshold"u8, g.GuaranteedThreshold);
        }

        w.WriteNumber("cost_optimal_threshold"u8, g.CostOptimalThreshold);
        w.WriteNumber("deployed_threshold"u8, g.DeployedThreshold);
        w.WriteNumber("upper_bound"u8, g.UpperBound);
        w.WriteNumber("calibration_records"u8, g.CalibrationRecords);
        w.WriteString("scale"u8, g.Scale);
        w.WriteEndObject();
    }
}
