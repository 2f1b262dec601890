using System.Buffers;
using System.Text.Json;

namespace Lpp;

/// <summary>
/// Returns one shared string instance per distinct short JSON string value (labels, source values, tokens), so
/// that reading millions of records does not allocate the same few thousand strings again and again.
/// Not thread-safe: one per reader.
/// </summary>
internal sealed class Utf8StringCache
{
    private const int MaxCachedLength = 64;
    private const int MaxEntries = 1 << 16;
    private readonly HashSet<string> _strings = new(StringComparer.Ordinal);
    private readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> _lookup;

    public Utf8StringCache() => _lookup = _strings.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>The current string token of <paramref name="reader"/>, shared when short.</summary>
    public string Get(ref Utf8JsonReader reader)
    {
        var length = reader.HasValueSequence ? reader.ValueSequence.Length : reader.ValueSpan.Length;
        if (length > MaxCachedLength)
        {
            return reader.GetString()!;
        }

        Span<char> chars = stackalloc char[MaxCachedLength];
        int written;
        if (!reader.ValueIsEscaped && !reader.HasValueSequence)
        {
            if (!System.Text.Unicode.Utf8.ToUtf16(reader.ValueSpan, chars, out _, out written, replaceInvalidSequences: false).Equals(OperationStatus.Done))
            {
                return reader.GetString()!;
            }
        }
        else
        {
            written = reader.CopyString(chars);
        }

        var span = chars[..written];
        if (_lookup.TryGetValue(span, out var cached))
        {
            return cached;
        }

        var created = span.ToString();
        if (_strings.Count < MaxEntries)
        {
            _strings.Add(created);
        }

        return created;
    }
}
