namespace Lpp;

/// <summary>
/// Maps a returned token onto a schema label: trims white space, quotes, <c>:,{}</c> and the tokenizer space
/// markers <c>▁</c> (SentencePiece) and <c>Ġ</c> (GPT-2 byte-level BPE) from both ends, then compares with the
/// labels, ignoring case unless two labels differ only in case.
/// </summary>
internal sealed class LabelMatcher
{
    private const int MaxMemo = 512;
    private readonly string[] _labels;
    private readonly StringComparison _comparison;

    // Tokens repeat endlessly (a vocabulary is finite): remember each token's label. Copy-on-write, so readers on
    // any thread never lock and never see a dictionary being changed.
    private Dictionary<string, int> _memo = new(StringComparer.Ordinal);

    public LabelMatcher(IReadOnlyList<string> labels)
    {
        _labels = [.. labels.Select(l => l.Trim())];
        var caseClash = _labels.Length != _labels.Distinct(StringComparer.OrdinalIgnoreCase).Count();
        _comparison = caseClash ? StringComparison.Ordinal : StringComparison.OrdinalIgnoreCase;
    }

    /// <summary>Index of the label <paramref name="token"/> stands for, or -1 when it stands for none.</summary>
    public int Match(string token)
    {
        var memo = Volatile.Read(ref _memo);
        if (memo.TryGetValue(token, out var known))
        {
            return known;
        }

        var index = MatchUncached(token);
        if (memo.Count < MaxMemo)
        {
            Interlocked.CompareExchange(ref _memo, new Dictionary<string, int>(memo, StringComparer.Ordinal) { [token] = index }, memo);
        }

        return index;
    }

    private int MatchUncached(string token)
    {
        var core = Normalize(token);
        if (core.IsEmpty)
        {
            return -1;
        }

        for (var i = 0; i < _labels.Length; i++)
        {
            if (core.Equals(_labels[i], _comparison))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>The token without the surrounding characters that never belong to a label.</summary>
    public static ReadOnlySpan<char> Normalize(string token)
    {
        var span = token.AsSpan();
        var start = 0;
        var end = span.Length;
        while (start < end && IsNoise(span[start]))
        {
            start++;
        }

        while (end > start && IsNoise(span[end - 1]))
        {
            end--;
        }

        return span[start..end];
    }

    private static bool IsNoise(char c) =>
        char.IsWhiteSpace(c) || c is '"' or '\'' or '`' or ':' or ',' or '{' or '}' or '\u2581' or '\u0120';
}
