using System.Text;
using System.Text.Json;

namespace Lpp.Inference.Tests;

/// <summary>Constructed provider bodies, tokenized the way real tokenizers split JSON (<c>{"</c>, <c>outcome</c>, <c>":</c>, <c>1</c>...).</summary>
public static class Bodies
{
    public static readonly string[] Direct1 = ["{\"", "outcome", "\":", "1", ",\"", "p", "_correct", "\":", "87", ",\"", "band", "\":\"", "VH", "\"}"];

    public static string[] DirectAnswer(int outcome, int pCorrect = 90, string band = "H") =>
        ["{\"", "outcome", "\":", outcome.ToString(System.Globalization.CultureInfo.InvariantCulture), ",\"", "p", "_correct", "\":", pCorrect.ToString(System.Globalization.CultureInfo.InvariantCulture), ",\"", "band", "\":\"", band, "\"}"];

    /// <summary>Alternatives at the outcome position: the chosen digit first, then the others.</summary>
    public static (string Token, double Logprob)[] OutcomeAlternatives(string chosen) =>
        [(chosen, -0.01), .. new[] { "0", "1", "2", "3" }.Where(d => d != chosen).Select((d, i) => (d, -4.0 - i)), (" ", -12.0)];

    /// <summary>An OpenAI chat-completions body whose content is the concatenated pieces.</summary>
    public static string OpenAi(string[] pieces, bool withBytes = true, bool nullTop = false, bool withLogprobs = true, string? outcomeToken = null)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("id", "chatcmpl-test");
            w.WriteString("object", "chat.completion");
            w.WriteString("model", "gpt-4o-mini-2024-07-18");
            w.WriteStartArray("choices");
            w.WriteStartObject();
            w.WriteNumber("index", 0);
            w.WriteStartObject("message");
            w.WriteString("role", "assistant");
            w.WriteString("content", string.Concat(pieces));
            w.WriteEndObject();
            if (withLogprobs)
            {
                w.WriteStartObject("logprobs");
                w.WriteStartArray("content");
                var outcomeIndex = Array.IndexOf(pieces, "outcome") + 2;
                for (var i = 0; i < pieces.Length; i++)
                {
                    w.WriteStartObject();
                    w.WriteString("token", pieces[i]);
                    w.WriteNumber("logprob", i == outcomeIndex ? -0.01 : -0.001);
                    if (withBytes)
                    {
                        w.WriteStartArray("bytes");
                        foreach (var b in Encoding.UTF8.GetBytes(pieces[i]))
                        {
                            w.WriteNumberValue(b);
                        }

                        w.WriteEndArray();
                    }

                    w.WritePropertyName("top_logprobs");
                    if (nullTop)
                    {
                        w.WriteNullValue();
                    }
                    else
                    {
                        w.WriteStartArray();
                        var alternatives = i == outcomeIndex ? OutcomeAlternatives(outcomeToken ?? pieces[i]) : [(pieces[i], -0.001), ("x", -7.5)];
                        foreach (var (token, logprob) in alternatives)
                        {
                            w.WriteStartObject();
                            w.WriteString("token", token);
                            w.WriteNumber("logprob", logprob);
                            w.WriteEndObject();
                        }

                        w.WriteEndArray();
                    }

                    w.WriteEndObject();
                }

                w.WriteEndArray();
                w.WriteEndObject();
            }
            else
            {
                w.WriteNull("logprobs");
            }

            w.WriteString("finish_reason", "stop");
            w.WriteEndObject();
            w.WriteEndArray();
            w.WriteStartObject("usage");
            w.WriteNumber("prompt_tokens", 300);
            w.WriteNumber("completion_tokens", pieces.Length);
            w.WriteEndObject();
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>A Gemini generateContent body with logprobsResult for the pieces.</summary>
    public static string Gemini(string[] pieces, bool withLogprobs = true)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteStartArray("candidates");
            w.WriteStartObject();
            w.WriteStartObject("content");
            w.WriteString("role", "model");
            w.WriteStartArray("parts");
            w.WriteStartObject();
            w.WriteString("text", string.Concat(pieces));
            w.WriteEndObject();
            w.WriteEndArray();
            w.WriteEndObject();
            w.WriteString("finishReason", "STOP");
            w.WriteNumber("avgLogprobs", -0.05);
            if (withLogprobs)
            {
                var outcomeIndex = Array.IndexOf(pieces, "outcome") + 2;
                w.WriteStartObject("logprobsResult");
                w.WriteStartArray("topCandidates");
                for (var i = 0; i < pieces.Length; i++)
                {
                    w.WriteStartObject();
                    w.WriteStartArray("candidates");
                    var alternatives = i == outcomeIndex ? OutcomeAlternatives(pieces[i]) : [(pieces[i], -0.001), ("filler", -1.27e30)];
                    foreach (var (token, logprob) in alternatives)
                    {
                        w.WriteStartObject();
                        w.WriteString("token", token);
                        w.WriteNumber("logProbability", logprob);
                        w.WriteEndObject();
                    }

                    w.WriteEndArray();
                    w.WriteEndObject();
                }

                w.WriteEndArray();
                w.WriteStartArray("chosenCandidates");
                for (var i = 0; i < pieces.Length; i++)
                {
                    w.WriteStartObject();
                    w.WriteString("token", pieces[i]);
                    w.WriteNumber("logProbability", i == outcomeIndex ? -0.01 : -0.001);
                    w.WriteEndObject();
                }

                w.WriteEndArray();
                w.WriteEndObject();
            }

            w.WriteEndObject();
            w.WriteEndArray();
            w.WriteStartObject("usageMetadata");
            w.WriteNumber("promptTokenCount", 250);
            w.WriteNumber("candidatesTokenCount", pieces.Length);
            w.WriteEndObject();
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>The response body of a recorded openai-dotnet session (stored there as a JSON object).</summary>
    public static string Recorded(string fileName)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(SharedData.Path("fixtures/openai-dotnet-recordings/" + fileName)));
        return doc.RootElement.GetProperty("Entries")[0].GetProperty("ResponseBody").GetRawText();
    }
}
