using System.Text;
using System.Text.Json;

namespace Lpp.Inference;

/// <summary>
/// The chat-completions wire format (OpenAI and compatible servers): the request body a synchronous call sends and a
/// batch line carries (<c>messages</c> with text and <c>image_url</c> parts, decoding settings, <c>logprobs</c>, a
/// strict <c>json_schema</c> response format), and the reading of a chat completion. Compatible servers get
/// <c>max_tokens</c> instead of <c>max_completion_tokens</c>.
/// </summary>
public sealed class OpenAiChatCodec : IChatCodec
{
    private readonly string _model;
    private readonly bool _compatible;

    /// <summary>Creates the codec for <paramref name="model"/>.</summary>
    public OpenAiChatCodec(string model, bool compatible)
    {
        ArgumentNullException.ThrowIfNull(model);
        _model = model;
        _compatible = compatible;
    }

    /// <inheritdoc />
    public string Encode(ChatRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (prompt, decoding) = (request.Prompt, request.Decoding);
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("model", _model);
            w.WriteStartArray("messages");
            w.WriteStartObject();
            w.WriteString("role", "system");
            w.WriteString("content", prompt.System);
            w.WriteEndObject();
            WriteUser(w, prompt.User);
            foreach (var turn in prompt.FollowUps)
            {
                w.WriteStartObject();
                w.WriteString("role", turn.Role == ChatRole.User ? "user" : "assistant");
                w.WriteString("content", turn.Text);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteNumber("temperature", decoding.Temperature);
            w.WriteNumber("top_p", decoding.TopP);
            w.WriteNumber("n", 1);
            w.WriteNumber(_compatible ? "max_tokens" : "max_completion_tokens", decoding.MaxOutputTokens);
            if (decoding.Logprobs)
            {
                w.WriteBoolean("logprobs", true);
                w.WriteNumber("top_logprobs", decoding.TopLogprobs);
            }

            w.WriteStartObject("response_format");
            w.WriteString("type", "json_schema");
            w.WriteStartObject("json_schema");
            w.WriteString("name", OutputSchema.Name);
            w.WriteBoolean("strict", true);
            w.WritePropertyName("schema");
            w.WriteRawValue(OutputSchema.OpenAi(prompt.ChainOfThought));
            w.WriteEndObject();
            w.WriteEndObject();
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    /// <inheritdoc />
    public ProviderResponse Decode(string body) => OpenAiResponseParser.Parse(body);

    private static void WriteUser(Utf8JsonWriter w, IReadOnlyList<PromptPart> parts)
    {
        w.WriteStartObject();
        w.WriteString("role", "user");
        if (parts is [TextPart only])
        {
            // A plain string is what every compatible server accepts.
            w.WriteString("content", only.Text);
        }
        else
        {
            w.WriteStartArray("content");
            foreach (var part in parts)
            {
                w.WriteStartObject();
                switch (part)
                {
                    case TextPart text:
                        w.WriteString("type", "text");
                        w.WriteString("text", text.Text);
                        break;
                    case ImagePart image:
                        w.WriteString("type", "image_url");
                        w.WriteStartObject("image_url");
                        w.WriteString("url", image.Url);
                        w.WriteEndObject();
                        break;
                    case VideoPart video:
                        // Chat completions take no video: the model is told one exists, and reviews the frames.
                        w.WriteString("type", "text");
                        w.WriteString("text", $"[a video is attached by reference ({video.MimeType}) and cannot be shown here; review the frames]");
                        break;
                }

                w.WriteEndObject();
            }

            w.WriteEndArray();
        }

        w.WriteEndObject();
    }
}
