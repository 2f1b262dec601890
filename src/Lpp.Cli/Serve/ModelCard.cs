using System.Globalization;
using System.Text.Json;

namespace Lpp.Cli;

/// <summary>
/// <c>GET /v1/model</c>: what the served model is (checksum, when it went into service), how it was made (recipe,
/// options, provenance) and how it decides (τ, cost model, features, baselines).
/// </summary>
internal static class ModelCard
{
    public static void Write(Utf8JsonWriter w, ServedModel served)
    {
        var model = served.Model;
        w.WriteStartObject();
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
        w.WriteStartObject("cost_model"u8);
        w.WriteString("form"u8, model.Cost.FormName);
        w.WriteNumber("c_error"u8, model.Cost.CError);
        w.WriteNumber("c_review"u8, model.Cost.CReview);
        w.WriteEndObject();
        if (model.SeverityCosts is { } severity)
        {
            w.WritePropertyName("severity_costs"u8);
            severity.Write(w);
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
        w.WriteEndObject();
    }
}
