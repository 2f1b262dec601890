using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Lpp.Simulation;

/// <summary>
/// Writes simulated items as JSON Lines: decision records, or the raw response bodies the OpenAI chat-completions and
/// Gemini <c>generateContent</c> APIs would have returned for the same answers (shapes in
/// <c>../shared/docs/PROVIDERS.md</c>). Each body carries, beside the provider's fields, an object
/// <c>"lpp_simulation": {"simulated": true, "id", "truth", "source": {...}}</c> with what the body alone cannot hold,
/// so the record can be rebuilt from the body (the way <c>lpp infer</c> builds it) and compared.
/// </summary>
public static class SimulationWriter
{
    private const int PromptTokens = 412;

    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = true };

    /// <summary>
    /// Writes one line per item to <paramref name="destination"/> (not closed) and returns the number written. The
    /// bytes are those of <see cref="Write(Utf8JsonWriter, DecisionRecord, SimulationFormat)"/> (one object per line), made by a faster writer that skips
    /// <see cref="Utf8JsonWriter"/>'s per-call checks, caches the UTF-8 of the token strings and hands the destination
    /// writes of about a megabyte, each made on a thread-pool thread while the next megabyte is formatted (one write in
    /// flight at a time; the destination is never written from two threads at once).
    /// </summary>
    public static long WriteLines(IEnumerable<SimulatedItem> items, Stream destination, SimulationFormat format, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(destination);
        var buffer = new JsonLineBuffer(destination);
        var writer = new SimulationLineWriter(buffer);
        long written = 0;
        try
        {
            foreach (var item in items)
            {
                cancellationToken.ThrowIfCancellationRequested();
                writer.Write(item.Record, format);
                buffer.EndLine();
                written++;
            }

            buffer.Flush();
        }
        catch
        {
            buffer.Abandon();
            throw;
        }

        return written;
    }

    /// <summary>
    /// Writes one simulated record in <paramref name="format"/> as one JSON object. This is the reference spelling of
    /// each format; with a writer whose encoder is <see cref="JavaScriptEncoder.UnsafeRelaxedJsonEscaping"/>,
    /// <see cref="WriteLines"/> writes the same bytes faster.
    /// </summary>
    /// <exception cref="ArgumentException">A provider format was asked for a record the simulator did not make.</exception>
    public static void Write(Utf8JsonWriter writer, DecisionRecord record, SimulationFormat format)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(record);
        Write(writer, record, format, new List<SimulatedAnswer.AnswerToken>(64));
    }

    private static void Write(Utf8JsonWriter writer, DecisionRecord record, SimulationFormat format, List<SimulatedAnswer.AnswerToken> tokens)
    {
        switch (format)
        {
            case SimulationFormat.Records:
                DecisionRecordJson.Write(writer, record);
                return;
            case SimulationFormat.OpenAi:
                Tokens(record, tokens);
                WriteOpenAi(writer, record, tokens);
                return;
            case SimulationFormat.Gemini:
                Tokens(record, tokens);
                WriteGemini(writer, record, tokens);
                return;
            default:
                throw new ArgumentOutOfRangeException(nameof(format), format, "format must be Records, OpenAi or Gemini");
        }
    }

    /// <summary>The tokens of a simulated record's answer, in <paramref name="tokens"/> (cleared first).</summary>
    internal static void Tokens(DecisionRecord record, List<SimulatedAnswer.AnswerToken> tokens)
    {
        var output = record.Output;
        if (output.Outcome is null || output.OutcomeTopLogprobs is null || output.VerbalizedConfidence is not { } confidence || output.Band is not { } band)
        {
            throw new ArgumentException($"record '{record.Id}' lacks an outcome, alternatives, confidence or band: only simulated records can be written as provider bodies", nameof(record));
        }

        tokens.Clear();
        SimulatedAnswer.Layout(output.Outcome, output.OutcomeTopLogprobs, (int)confidence, band, output.ReasoningTokens, tokens);
    }

    private static void WriteOpenAi(Utf8JsonWriter writer, DecisionRecord record, List<SimulatedAnswer.AnswerToken> tokens)
    {
        writer.WriteStartObject();
        writer.WriteString("id", "chatcmpl-" + record.Id);
        writer.WriteString("object", "chat.completion");
        writer.WriteNumber("created", 0);
        writer.WriteString("model", Model(record));
        writer.WriteStartArray("choices");
        writer.WriteStartObject();
        writer.WriteNumber("index", 0);
        writer.WriteStartObject("message");
        writer.WriteString("role", "assistant");
        WriteContent(writer, "content", tokens);
        writer.WriteNull("refusal");
        writer.WriteEndObject();
        writer.WriteStartObject("logprobs");
        writer.WriteStartArray("content");
        foreach (var token in tokens)
        {
            writer.WriteStartObject();
            WriteOpenAiToken(writer, token.Token, token.Logprob);
            writer.WriteStartArray("top_logprobs");
            foreach (var alternative in token.Alternatives)
            {
                writer.WriteStartObject();
                WriteOpenAiToken(writer, alternative.Token, alternative.Logprob);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteNull("refusal");
        writer.WriteEndObject();
        writer.WriteString("finish_reason", "stop");
        writer.WriteEndObject();
        writer.WriteEndArray();
        writer.WriteStartObject("usage");
        writer.WriteNumber("prompt_tokens", PromptTokens);
        writer.WriteNumber("completion_tokens", tokens.Count);
        writer.WriteNumber("total_tokens", PromptTokens + tokens.Count);
        writer.WriteEndObject();
        WriteSimulation(writer, record);
        writer.WriteEndObject();
    }

    private static void WriteOpenAiToken(Utf8JsonWriter writer, string token, double logprob)
    {
        writer.WriteString("token", token);
        writer.WriteNumber("logprob", logprob);
        writer.WriteStartArray("bytes");
        Span<byte> bytes = stackalloc byte[Encoding.UTF8.GetMaxByteCount(token.Length)];
        var count = Encoding.UTF8.GetBytes(token, bytes);
        foreach (var b in bytes[..count])
        {
            writer.WriteNumberValue(b);
        }

        writer.WriteEndArray();
    }

    private static void WriteGemini(Utf8JsonWriter writer, DecisionRecord record, List<SimulatedAnswer.AnswerToken> tokens)
    {
        writer.WriteStartObject();
        writer.WriteStartArray("candidates");
        writer.WriteStartObject();
        writer.WriteStartObject("content");
        writer.WriteStartArray("parts");
        writer.WriteStartObject();
        WriteContent(writer, "text", tokens);
        writer.WriteEndObject();
        writer.WriteEndArray();
        writer.WriteString("role", "model");
        writer.WriteEndObject();
        writer.WriteString("finishReason", "STOP");
        var sum = 0.0;
        foreach (var token in tokens)
        {
            sum += token.Logprob;
        }

        writer.WriteNumber("avgLogprobs", sum / tokens.Count);
        writer.WriteStartObject("logprobsResult");
        writer.WriteStartArray("topCandidates");
        foreach (var token in tokens)
        {
            writer.WriteStartObject();
            writer.WriteStartArray("candidates");
            foreach (var alternative in token.Alternatives)
            {
                writer.WriteStartObject();
                writer.WriteString("token", alternative.Token);
                writer.WriteNumber("logProbability", alternative.Logprob);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteStartArray("chosenCandidates");
        foreach (var token in tokens)
        {
            writer.WriteStartObject();
            writer.WriteString("token", token.Token);
            writer.WriteNumber("logProbability", token.Logprob);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
        writer.WriteEndObject();
        writer.WriteEndArray();
        writer.WriteStartObject("usageMetadata");
        writer.WriteNumber("promptTokenCount", PromptTokens);
        writer.WriteNumber("candidatesTokenCount", tokens.Count);
        writer.WriteNumber("totalTokenCount", PromptTokens + tokens.Count);
        writer.WriteEndObject();
        writer.WriteString("modelVersion", Model(record));
        WriteSimulation(writer, record);
        writer.WriteEndObject();
    }

    private static void WriteContent(Utf8JsonWriter writer, string name, List<SimulatedAnswer.AnswerToken> tokens)
    {
        var text = new StringBuilder(256);
        foreach (var token in tokens)
        {
            text.Append(token.Token);
        }

        writer.WriteString(name, text.ToString());
    }

    private static void WriteSimulation(Utf8JsonWriter writer, DecisionRecord record)
    {
        writer.WriteStartObject("lpp_simulation");
        writer.WriteBoolean("simulated", true);
        writer.WriteString("id", record.Id);
        writer.WriteString("truth", record.Truth);
        writer.WriteStartObject("source");
        foreach (var (key, value) in record.Source)
        {
            writer.WriteString(key, value);
        }

        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    private static string Model(DecisionRecord record) =>
        record.Source.TryGetValue("model", out var model) ? model : SimulationDefaults.Model;
}
