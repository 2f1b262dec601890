using System.Text.Json;

namespace Lpp.Inference;

/// <summary>
/// Parses a chat-completions body tolerantly: <c>choices[0].message.content</c>, <c>choices[0].logprobs.content[]</c>
/// (token, logprob, bytes, top_logprobs, each of which may be null or absent), <c>usage</c>. Alternatives are sorted by
/// descending logprob; floors (-9999, -3.4e38) are kept as the provider sent them.
/// </summary>
internal static class OpenAiResponseParser
{
    public static ProviderResponse Parse(string body)
    {
        using (var doc = ProviderJson.ParseBody(body))
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("choices", out var choices)
                || choices.ValueKind != JsonValueKind.Array || choices.GetArrayLength() == 0)
            {
                throw new ProviderException(ProviderErrorKind.Transient, "the response body has no choices");
            }

            var choice = choices[0];
            string? content = null;
            if (choice.TryGetProperty("message", out var message) && message.ValueKind == JsonValueKind.Object
                && message.TryGetProperty("content", out var contentElement) && contentElement.ValueKind == JsonValueKind.String)
            {
                content = contentElement.GetString();
            }

            List<GeneratedToken>? tokens = null;
            if (choice.TryGetProperty("logprobs", out var logprobs) && logprobs.ValueKind == JsonValueKind.Object
                && logprobs.TryGetProperty("content", out var entries) && entries.ValueKind == JsonValueKind.Array)
            {
                tokens = new List<GeneratedToken>(entries.GetArrayLength());
                foreach (var entry in entries.EnumerateArray())
                {
                    tokens.Add(ReadToken(entry));
                }
            }

            long? promptTokens = null, outputTokens = null;
            if (root.TryGetProperty("usage", out var usage) && usage.ValueKind == JsonValueKind.Object)
            {
                promptTokens = Long(usage, "prompt_tokens");
                outputTokens = Long(usage, "completion_tokens");
            }

            return new ProviderResponse
            {
                Content = content,
                Tokens = tokens is { Count: > 0 } ? tokens : null,
                PromptTokens = promptTokens,
                OutputTokens = outputTokens,
                FinishReason = choice.TryGetProperty("finish_reason", out var finish) && finish.ValueKind == JsonValueKind.String ? finish.GetString() : null,
            };
        }
    }

    private static GeneratedToken ReadToken(JsonElement entry)
    {
        var token = entry.TryGetProperty("token", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString()! : string.Empty;
        var logprob = Number(entry, "logprob");
        var bytes = Bytes(entry);
        List<TokenLogprob>? top = null;
        if (entry.TryGetProperty("top_logprobs", out var alternatives) && alternatives.ValueKind == JsonValueKind.Array)
        {
            top = new List<TokenLogprob>(alternatives.GetArrayLength());
            foreach (var alternative in alternatives.EnumerateArray())
            {
                if (alternative.ValueKind == JsonValueKind.Object
                    && alternative.TryGetProperty("token", out var at) && at.ValueKind == JsonValueKind.String
                    && Number(alternative, "logprob") is { } lp)
                {
                    top.Add(new TokenLogprob(at.GetString()!, lp));
                }
            }

            top.Sort((a, b) => b.Logprob.CompareTo(a.Logprob));
        }

        return new GeneratedToken(token, logprob, bytes, top);
    }

    private static double? Number(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var d) ? d : null;

    private static long? Long(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var l) ? l : null;

    private static byte[]? Bytes(JsonElement entry)
    {
        if (!entry.TryGetProperty("bytes", out var bytes) || bytes.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        var result = new byte[bytes.GetArrayLength()];
        var i = 0;
        foreach (var b in bytes.EnumerateArray())
        {
            if (b.ValueKind != JsonValueKind.Number || !b.TryGetByte(out result[i++]))
            {
                return null;
            }
        }

        return result;
    }
}
