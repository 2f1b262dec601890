using System.Text;

namespace Lpp.Inference;

/// <summary>
/// Finds the outcome token by byte span inside the JSON answer (never by searching for text, which tokenizers
/// split): the tokens' bytes (or text) are concatenated with each token's span, the answer content is located in
/// that concatenation (reasoning or thinking tokens may come first), and the token whose span covers the first byte
/// of the <c>outcome</c> value is the decision token.
/// </summary>
public static class TokenAlignment
{
    /// <summary>The signals of an answer whose content and validation are known.</summary>
    public static TokenSignals Extract(IReadOnlyList<GeneratedToken>? tokens, string content, ValidatedAnswer answer, bool chainOfThought)
    {
        ArgumentNullException.ThrowIfNull(content);
        ArgumentNullException.ThrowIfNull(answer);
        if (tokens is null || tokens.Count == 0)
        {
            return new(null, null, "the provider returned no logprobs");
        }

        if (answer.OutcomeOffset < 0)
        {
            return new(null, null, "the answer has no outcome value");
        }

        var (text, starts) = Concatenate(tokens);
        var contentBytes = Encoding.UTF8.GetBytes(content);
        var contentStart = Locate(text, contentBytes, answer.OutcomeOffset + 1);
        if (contentStart < 0)
        {
            return new(null, null, "the tokens do not spell the answer");
        }

        var outcomeIndex = TokenAt(starts, contentStart + answer.OutcomeOffset);
        var outcome = Alternatives(tokens[outcomeIndex]);
        IReadOnlyList<ReasoningToken>? reasoning = null;
        if (chainOfThought || contentStart > 0)
        {
            var list = new List<ReasoningToken>();
            var firstContent = TokenAt(starts, contentStart);
            for (var i = 0; i < firstContent && starts[i] < contentStart; i++)
            {
                Add(list, tokens[i]);
            }

            if (answer.ReasoningSpan is var (s, e))
            {
                var from = TokenAt(starts, contentStart + s);
                var to = TokenAt(starts, contentStart + e - 1);
                for (var i = from; i <= to; i++)
                {
                    Add(list, tokens[i]);
                }
            }

            reasoning = list.Count > 0 || chainOfThought ? list : null;
        }

        return new(outcome, reasoning, null);
    }

    /// <summary>The alternatives at one position, chosen token included (Gemini's need not list it), sorted by descending logprob.</summary>
    public static IReadOnlyList<TokenLogprob>? Alternatives(GeneratedToken token)
    {
        ArgumentNullException.ThrowIfNull(token);
        if (token.TopLogprobs is null && token.Logprob is null)
        {
            return null;
        }

        var list = new List<TokenLogprob>(token.TopLogprobs ?? []);
        if (token.Logprob is { } chosen && !list.Exists(a => string.Equals(a.Token, token.Token, StringComparison.Ordinal)))
        {
            list.Add(new TokenLogprob(token.Token, chosen));
        }

        return [.. list.OrderByDescending(a => a.Logprob)];
    }

    private static void Add(List<ReasoningToken> list, GeneratedToken token)
    {
        if (token.Logprob is { } logprob)
        {
            list.Add(new ReasoningToken(token.Token, logprob, token.TopLogprobs));
        }
    }

    private static (byte[] Text, int[] Starts) Concatenate(IReadOnlyList<GeneratedToken> tokens)
    {
        var starts = new int[tokens.Count];
        using var buffer = new MemoryStream();
        for (var i = 0; i < tokens.Count; i++)
        {
            starts[i] = (int)buffer.Length;
            var bytes = tokens[i].Bytes ?? Encoding.UTF8.GetBytes(tokens[i].Token);
            buffer.Write(bytes);
        }

        return (buffer.ToArray(), starts);
    }

    /// <summary>Where the content starts in the token text: an exact match, else a match of its first <paramref name="prefix"/> bytes.</summary>
    private static int Locate(byte[] text, byte[] content, int prefix)
    {
        if (text.AsSpan().EndsWith(content))
        {
            return text.Length - content.Length;
        }

        var at = text.AsSpan().IndexOf(content);
        if (at >= 0)
        {
            return at;
        }

        // Tokens without bytes spell split multi-byte characters differently; the part up to the outcome (ASCII
        // JSON punctuation and keys, the outcome is first) still matches.
        return text.AsSpan().IndexOf(content.AsSpan(0, Math.Min(prefix, content.Length)));
    }

    private static int TokenAt(int[] starts, int offset)
    {
        var index = Array.BinarySearch(starts, offset);
        if (index < 0)
        {
            index = ~index - 1;
        }

        // Zero-length tokens share a start: take the last one that starts at or before the offset.
        while (index + 1 < starts.Length && starts[index + 1] == starts[index] && starts[index] <= offset)
        {
            index++;
        }

        return Math.Clamp(index, 0, starts.Length - 1);
    }
}
