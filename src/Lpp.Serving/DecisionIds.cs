using System.Buffers.Binary;

namespace Lpp.Serving;

/// <summary>
/// Decision ids: version 7 UUIDs (time-ordered). A request's decisions take consecutive ids, the first one's plus
/// 0, 1, 2...: the audit log stores one row per request and finds a decision by the request whose first id is the
/// largest not above it. The first id has one random bit fewer (bit 61 of its low half is clear), so adding up to
/// 2^61 never carries into the variant bits.
/// </summary>
internal static class DecisionIds
{
    /// <summary>A new first id for a request decided at <paramref name="now"/>.</summary>
    public static Guid New(DateTimeOffset now)
    {
        Span<byte> bytes = stackalloc byte[16];
        Guid.CreateVersion7(now).TryWriteBytes(bytes, bigEndian: true, out _);
        bytes[8] &= 0xDF;
        return new Guid(bytes, bigEndian: true);
    }

    /// <summary>The id of the request's decision number <paramref name="k"/> (0 is <paramref name="first"/> itself).</summary>
    public static Guid Nth(Guid first, int k)
    {
        Span<byte> bytes = stackalloc byte[16];
        first.TryWriteBytes(bytes, bigEndian: true, out _);
        BinaryPrimitives.WriteUInt64BigEndian(bytes[8..], BinaryPrimitives.ReadUInt64BigEndian(bytes[8..]) + (ulong)k);
        return new Guid(bytes, bigEndian: true);
    }

    /// <summary>Which decision of the request starting at <paramref name="first"/> <paramref name="id"/> is, or -1.</summary>
    public static long Offset(ReadOnlySpan<byte> first, ReadOnlySpan<byte> id)
    {
        if (!first[..8].SequenceEqual(id[..8]))
        {
            return -1;
        }

        var a = BinaryPrimitives.ReadUInt64BigEndian(first[8..]);
        var b = BinaryPrimitives.ReadUInt64BigEndian(id[8..]);
        return b >= a && b - a < int.MaxValue ? (long)(b - a) : -1;
    }

    /// <summary>The 16 bytes an id is stored as: big-endian, so byte order is time order.</summary>
    public static byte[] Key(Guid id)
    {
        var key = new byte[16];
        id.TryWriteBytes(key, bigEndian: true, out _);
        return key;
    }

    /// <summary>Parses the 32 hex digits a client sees; false when it is not an id.</summary>
    public static bool TryParse(string text, out Guid id) => Guid.TryParseExact(text, "N", out id);
}
