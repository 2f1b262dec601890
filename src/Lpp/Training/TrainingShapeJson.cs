using System.Text.Json;

namespace Lpp;

/// <summary>
/// The optional <c>training_shape</c> section of the model file:
/// <c>{"records", "label_sets": [{"labels", "abstain_labels"}], "signals": {"logprobs": {"records", "required"}, ...}, "sources": {"model": [...]}}</c>.
/// A file without it (written by an older lpp) loads with no stored shape.
/// </summary>
internal static class TrainingShapeJson
{
    /// <summary>The section's name in the model file.</summary>
    public const string Section = "training_shape";

    /// <summary>Writes the section as a property of the object being written.</summary>
    public static void Write(Utf8JsonWriter w, TrainingShape shape)
    {
        w.WriteStartObject(Section);
        w.WriteNumber("records", shape.Records);
        w.WriteStartArray("label_sets");
        foreach (var schema in shape.LabelSets)
        {
            w.WriteStartObject();
            w.WriteStartArray("labels");
            foreach (var label in schema.Labels)
            {
                w.WriteStringValue(label);
            }

            w.WriteEndArray();
            w.WriteStartObject("abstain_labels");
            foreach (var (label, attribution) in schema.AbstainLabels)
            {
                w.WriteString(label, attribution == Attribution.Evidence ? "evidence" : "definition");
            }

            w.WriteEndObject();
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteStartObject("signals");
        foreach (var (signal, records) in shape.SignalRecords)
        {
            w.WriteStartObject(TrainingShape.Key(signal));
            w.WriteNumber("records", records);
            w.WriteBoolean("required", shape.Required.Contains(signal));
            w.WriteEndObject();
        }

        w.WriteEndObject();
        w.WriteStartObject("sources");
        foreach (var (key, values) in shape.Sources)
        {
            w.WriteStartArray(key);
            foreach (var value in values)
            {
                w.WriteStringValue(value);
            }

            w.WriteEndArray();
        }

        w.WriteEndObject();
        w.WriteEndObject();
    }

    /// <summary>Reads the section from the model file's root object, or null when the file has none.</summary>
    /// <exception cref="FormatException">The section is malformed.</exception>
    public static TrainingShape? Read(JsonElement root)
    {
        if (!root.TryGetProperty(Section, out var shape))
        {
            return null;
        }

        try
        {
            var labelSets = shape.GetProperty("label_sets").EnumerateArray().Select(set => new LabelSchema(
                [.. set.GetProperty("labels").EnumerateArray().Select(l => l.GetString() ?? throw new FormatException("a label is null"))],
                [.. set.GetProperty("abstain_labels").EnumerateObject().Select(p => new KeyValuePair<string, Attribution>(p.Name, p.Value.GetString() switch
                {
                    "evidence" => Attribution.Evidence,
                    "definition" => Attribution.Definition,
                    var other => throw new FormatException($"abstention attribution '{other}' is not evidence or definition"),
                }))])).ToList();
            var counts = new Dictionary<TrainingSignal, int>();
            var required = new HashSet<TrainingSignal>();
            var signals = shape.GetProperty("signals");
            foreach (var signal in Enum.GetValues<TrainingSignal>())
            {
                if (signals.TryGetProperty(TrainingShape.Key(signal), out var entry))
                {
                    counts[signal] = entry.GetProperty("records").GetInt32();
                    if (entry.GetProperty("required").GetBoolean())
                    {
                        required.Add(signal);
                    }
                }
            }

            var sources = shape.GetProperty("sources").EnumerateObject().ToDictionary(
                p => p.Name,
                p => (IReadOnlyList<string>)[.. p.Value.EnumerateArray().Select(v => v.GetString() ?? throw new FormatException($"a source.{p.Name} value is null"))],
                StringComparer.Ordinal);
            return new TrainingShape(shape.GetProperty("records").GetInt32(), labelSets, counts, required, sources);
        }
        catch (Exception e) when (e is InvalidOperationException or KeyNotFoundException or ArgumentException)
        {
            throw new FormatException($"{Section}: {e.Message.Split(" (Parameter", 2)[0]}", e);
        }
    }
}
