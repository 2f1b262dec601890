using System.Text;
using System.Text.Json;

namespace Lpp.Inference;

/// <summary>
/// The Gemini <c>generateContent</c> wire format, shared by the synchronous call and the batch line's
/// <c>request</c>: system instruction, user parts (text, <c>inlineData</c> images, <c>fileData</c> video),
/// <c>responseSchema</c> with <c>propertyOrdering</c> (outcome first), <c>responseLogprobs</c> and <c>logprobs</c>;
/// and the reading of an answer, whose <c>logprobsResult</c> becomes generated tokens.
/// </summary>
public sealed class GeminiChatCodec : IChatCodec
{
    /// <inheritdoc />
    public string Encode(ChatRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (prompt, decoding) = (request.Prompt, request.Decoding);
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteStartObject("systemInstruction");
            w.WriteStartArray("parts");
            w.WriteStartObject();
            w.WriteString("text", prompt.System);
            w.WriteEndObject();
            w.WriteEndArray();
            w.WriteEndObject();
            w.WriteStartArray("contents");
            w.WriteStartObject();
            w.WriteString("role", "user");
            w.WriteStartArray("parts");
            foreach (var part in prompt.User)
            {
                WritePart(w, part);
            }

            w.WriteEndArray();
            w.WriteEndObject();
            foreach (var turn in prompt.FollowUps)
            {
                w.WriteStartObject();
                w.WriteString("role", turn.Role == ChatRole.User ? "user" : "model");
                w.WriteStartArray("parts");
                w.WriteStartObject();
                w.WriteString("text", turn.Text);
                w.WriteEndObject();
                w.WriteEndArray();
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteStartObject("generationConfig");
            w.WriteNumber("temperature", decoding.Temperature);
            w.WriteNumber("topP", decoding.TopP);
            w.WriteNumber("candidateCount", 1);
            w.WriteNumber("maxOutputTokens", decoding.MaxOutputTokens);
            w.WriteString("responseMimeType", "application/json");
            w.WritePropertyName("responseSchema");
            w.WriteRawValue(OutputSchema.Gemini(prompt.ChainOfThought));
            if (decoding.Logprobs)
            {
                w.WriteBoolean("responseLogprobs", true);
                w.WriteNumber("logprobs", decoding.TopLogprobs);
            }

            w.WriteEndObject();
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    /// <inheritdoc />
    public ProviderResponse Decode(string body) => GeminiResponseParser.Parse(body);

    private static void WritePart(Utf8JsonWriter w, PromptPart part)
    {
        w.WriteStartObject();
        switch (part)
        {
            case TextPart text:
                w.WriteString("text", text.Text);
                break;
            case ImagePart image when image.Url.StartsWith("data:", StringComparison.OrdinalIgnoreCase) && image.Url.Contains(";base64,", StringComparison.Ordinal):
                w.WriteStartObject("inlineData");
                w.WriteString("mimeType", image.MimeType);
                w.WriteString("data", image.Url[(image.Url.IndexOf(";base64,", StringComparison.Ordinal) + 8)..]);
                w.WriteEndObject();
                break;
            case ImagePart image:
                w.WriteStartObject("fileData");
                w.WriteString("mimeType", image.MimeType);
                w.WriteString("fileUri", image.Url);
                w.WriteEndObject();
                break;
            case VideoPart video:
                w.WriteStartObject("fileData");
                w.WriteString("mimeType", video.MimeType);
                w.WriteString("fileUri", video.Uri);
                w.WriteEndObject();
                break;
        }

        w.WriteEndObject();
    }
}
