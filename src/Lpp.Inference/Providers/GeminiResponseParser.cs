using System.Text;
using System.Text.Json;

namespace Lpp.Inference;

/// <summary>
/// Parses a <c>generateContent</c> body: the text of <c>candidates[0].content.parts</c> (thought parts excluded),
/// <c>logprobsResult.chosenCandidates</c> with <c>topCandidates</c> at the same position, <c>usageMetadata</c>.
/// </summary>
internal static class GeminiResponseParser
{
    public static ProviderResponse Parse(string body)
    {
        using (var doc = ProviderJson.ParseBody(body))
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("candidates", out var candidates)
                || candidates.ValueKind != JsonValueKind.Array || candidates.GetArrayLength() == 0)
            {
                var blocked = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("promptFeedback", out var feedback)
                    && feedback.TryGetProperty("blockReason", out var reason) ? $" (prompt blocked: {reason})" : string.Empty;
                throw new ProviderException(blocked.Length > 0 ? ProviderErrorKind.Permanent : ProviderErrorKind.Transient, "the response body has no candidates" + blocked);
            }

            var candidate = candidates[0];
            string? content = null;
            if (candidate.TryGetProperty("content", out var contentElement) && contentElement.TryGetProperty("parts", out var parts) && parts.ValueKind == JsonValueKind.Array)
            {
                var text = new StringBuilder();
                foreach (var part in parts.EnumerateArray())
                {
                    var thought = part.TryGetProperty("thought", out var t) && t.ValueKind == JsonValueKind.True;
                    if (!thought && part.TryGetProperty("text", out var partText) && partText.ValueKind == JsonValueKind.String)
                    {
                        text.Append(partText.GetString());
                    }
                }

                content = text.ToString();
            }

            List<GeneratedToken>? tokens = null;
            if (candidate.TryGetProperty("logprobsResult", out var result) && result.ValueKind == JsonValueKind.Object
                && result.TryGetProperty("chosenCandidates", out var chosen) && chosen.ValueKind == JsonValueKind.Array)
            {
                var top = result.TryGetProperty("topCandidates", out var topElement) && topElement.ValueKind == JsonValueKind.Array ? topElement : default;
                tokens = new List<GeneratedToken>(chosen.GetArrayLength());
                var i = 0;
                foreach (var token in chosen.EnumerateArray())
                {
                    List<TokenLogprob>? alternatives = null;
                    if (top.ValueKind == JsonValueKind.Array && i < top.GetArrayLength()
                        && top[i].TryGetProperty("candidates", out var list) && list.ValueKind == JsonValueKind.Array)
                    {
                        alternatives = [];
                        foreach (var alternative in list.EnumerateArray())
                        {
                            var (altToken, altLogprob) = Candidate(alternative);
                            if (altLogprob is { } value)
                            {
                                alternatives.Add(new TokenLogprob(altToken, value));
                            }
                        }

                        alternatives.Sort((a, b) => b.Logprob.CompareTo(a.Logprob));
                    }

                    var (text, logprob) = Candidate(token);
                    tokens.Add(new GeneratedToken(text, logprob, null, alternatives));
                    i++;
                }
            }

            long? promptTokens = null, outputTokens = null;
            if (root.TryGetProperty("usageMetadata", out var usage) && usage.ValueKind == JsonValueKind.Object)
            {
                promptTokens = usage.TryGetProperty("promptTokenCount", out var p) && p.TryGetInt64(out var pv) ? pv : null;
                outputTokens = usage.TryGetProperty("candidatesTokenCount", out var o) && o.TryGetInt64(out var ov) ? ov : null;
            }

            return new ProviderResponse
            {
                Content = content,
                Tokens = tokens is { Count: > 0 } ? tokens : null,
                PromptTokens = promptTokens,
                OutputTokens = outputTokens,
                FinishReason = candidate.TryGetProperty("finishReason", out var finish) && finish.ValueKind == JsonValueKind.String ? finish.GetString() : null,
            };
        }
    }

    private static (string Token, double? Logprob) Candidate(JsonElement element)
    {
        var token = element.TryGetProperty("token", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString()! : string.Empty;
        double? logprob = element.TryGetProperty("logProbability", out var l) && l.ValueKind == JsonValueKind.Number ? l.GetDouble() : null;
        return (token, logprob);
    }
}
