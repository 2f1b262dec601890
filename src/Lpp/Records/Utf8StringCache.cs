using System.Text.Json;

namespace Lpp;

/// <summary>
/// Returns one shared string instance per distinct short JSON string value (labels, source values, tokens), so
/// that reading millions of records neither allocates nor transcodes the same few thousand strings again and
/// again. Keyed by the raw UTF-8 bytes (FNV-1a hash, open addressing); escaped or long values take the slow path.
/// Not thread-safe: one per reader.
/// </summary>
internal sealed class Utf8StringCache
{
    private const int MaxCachedLength = 64;
    private const int Capacity = 1 << 14;
    private readonly byte[]?[] _keys = new byte[Capacity][];
    private readonly string?[] _values = new string[Capacity];
    private int _count;

    /// <summary>The current string (or property name) token of <paramref name="reader"/>, shared when short.</summary>
    public string Get(ref Utf8JsonReader reader)
    {
        if (reader.ValueIsEscaped || reader.HasValueSequence || reader.ValueSpan.Length > MaxCachedLength)
        {
            return reader.GetString()!;
        }

        var bytes = reader.ValueSpan;
        var slot = (int)(Hash(bytes) & (Capacity - 1));
        for (var probe = 0; probe < 8; probe++)
        {
            var key = _keys[slot];
            if (key is null)
            {
                var created = reader.GetString()!;
                if (_count < Capacity / 2)
                {
                    _keys[slot] = bytes.ToArray();
                    _values[slot] = created;
                    _count++;
                }

                return created;
            }

            if (bytes.SequenceEqual(key))
            {
                return _values[slot]!;
            }

            slot = (slot + 1) & (Capacity - 1);
        }

        return reader.GetString()!;
    }

    private static uint Hash(ReadOnlySpan<byte> bytes)
    {
        var hash = 2166136261u;
        foreach (var b in bytes)
        {
            hash = (hash ^ b) * 16777619u;
        }

        return hash;
    }
}
