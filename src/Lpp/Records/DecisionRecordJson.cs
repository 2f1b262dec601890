using System.Text.Json;

namespace Lpp;

/// <summary>Writes decision records in their JSON Lines form (the inverse of <see cref="DecisionRecordParser"/>).</summary>
public static class DecisionRecordJson
{
    /// <summary>
    /// Writer options for records written as JSON Lines: JSON escaping only (no HTML escaping), so a quote inside
    /// <c>raw_answer</c> reads as <c>\"</c>, not <c>\u0022</c>.
    /// </summary>
    public static JsonWriterOptions WriterOptions { get; } = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>
    /// Writes <paramref name="record"/> as one JSON object. <paramref name="extra"/>, when given, writes further
    /// top-level properties (for example the raw provider <c>response</c>) before the object is closed.
    /// </summary>
    public static void Write(Utf8JsonWriter writer, DecisionRecord record, Action<Utf8JsonWriter>? extra = null)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(record);
        writer.WriteStartObject();
        writer.WriteString("id", record.Id);
        writer.WriteStartObject("source");
        foreach (var (key, value) in record.Source)
        {
            writer.WriteString(key, value);
        }

        writer.WriteEndObject();
        writer.WriteStartArray("labels");
        foreach (var label in record.Schema.Labels)
        {
            writer.WriteStringValue(label);
        }

        writer.WriteEndArray();
        writer.WriteStartObject("abstain_labels");
        foreach (var (label, attribution) in record.Schema.AbstainLabels)
        {
            writer.WriteString(label, attribution == Attribution.Evidence ? "evidence" : "definition");
        }

        writer.WriteEndObject();
        WriteOutput(writer, record.Output);
        writer.WriteString("truth", record.Truth);
        if (record.Weight != 1)
        {
            writer.WriteNumber("weight", record.Weight);
        }

        extra?.Invoke(writer);
        writer.WriteEndObject();
    }

    /// <summary>The record as a single-line JSON string.</summary>
    public static string ToJson(DecisionRecord record)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            Write(writer, record);
        }

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static void WriteOutput(Utf8JsonWriter writer, LlmOutput output)
    {
        writer.WriteStartObject("output");
        writer.WriteString("outcome", output.Outcome);
        writer.WriteString("raw_answer", output.RawAnswer);
        if (output.VerbalizedConfidence is { } confidence)
        {
            writer.WriteNumber("verbalized_confidence", confidence);
        }
        else
        {
            writer.WriteNull("verbalized_confidence");
        }

        writer.WriteString("band", output.Band?.ToString());
        writer.WritePropertyName("outcome_top_logprobs");
        WriteAlternatives(writer, output.OutcomeTopLogprobs);
        writer.WritePropertyName("reasoning_tokens");
        if (output.ReasoningTokens is null)
        {
            writer.WriteNullValue();
        }
        else
        {
            writer.WriteStartArray();
            foreach (var token in output.ReasoningTokens)
            {
                writer.WriteStartObject();
                writer.WriteString("token", token.Token);
                writer.WriteNumber("logprob", token.Logprob);
                writer.WritePropertyName("top_logprobs");
                WriteAlternatives(writer, token.TopLogprobs);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        }

        writer.WriteEndObject();
    }

    private static void WriteAlternatives(Utf8JsonWriter writer, IReadOnlyList<TokenLogprob>? alternatives)
    {
        if (alternatives is null)
        {
            writer.WriteNullValue();
            return;
        }

        writer.WriteStartArray();
        foreach (var (token, logprob) in alternatives)
        {
            writer.WriteStartObject();
            writer.WriteString("token", token);
            writer.WriteNumber("logprob", double.IsFinite(logprob) ? logprob : LppFeatureDefaults.ZeroProbabilityLogprob * 10);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }
}
