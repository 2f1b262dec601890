using System.Globalization;
using System.Text;

namespace Lpp.Inference;

/// <summary>
/// One of N parts of a run: an (item, concept) pair belongs to shard K exactly when the 64-bit FNV-1a hash of its
/// record id's UTF-8 bytes, modulo N, is K - 1. The hash depends on the id alone, so N processes or machines given the
/// same items split them without coordination and every pair falls in exactly one shard.
/// </summary>
public readonly record struct Shard
{
    private Shard(int index, int count)
    {
        Index = index;
        Count = count;
    }

    /// <summary>K, from 1.</summary>
    public int Index { get; }

    /// <summary>N.</summary>
    public int Count { get; }

    /// <summary>Parses <c>K/N</c> with 1 &lt;= K &lt;= N.</summary>
    /// <exception cref="FormatException">Not of that form.</exception>
    public static Shard Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parts = text.Split('/');
        if (parts.Length == 2
            && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var k)
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var n)
            && n >= 1 && k >= 1 && k <= n)
        {
            return new Shard(k, n);
        }

        throw new FormatException($"'{text}' is not K/N with 1 <= K <= N");
    }

    /// <summary>True when the record id belongs to this shard.</summary>
    public bool Contains(string recordId) => Of(recordId, Count) == Index - 1;

    /// <summary>The 0-based shard of a record id among <paramref name="count"/>.</summary>
    public static int Of(string recordId, int count)
    {
        ArgumentNullException.ThrowIfNull(recordId);
        const ulong Offset = 14695981039346656037;
        const ulong Prime = 1099511628211;
        var hash = Offset;
        Span<byte> buffer = stackalloc byte[256];
        var bytes = Encoding.UTF8.GetByteCount(recordId) <= buffer.Length ? buffer[..Encoding.UTF8.GetBytes(recordId, buffer)] : Encoding.UTF8.GetBytes(recordId);
        foreach (var b in bytes)
        {
            hash = (hash ^ b) * Prime;
        }

        return (int)(hash % (ulong)count);
    }

    /// <inheritdoc />
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Index}/{Count}");
}
