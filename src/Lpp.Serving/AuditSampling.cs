using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Lpp.Serving;

/// <summary>
/// Which trusted decisions <c>lpp serve --audit-rate R</c> sends to the <c>audit</c> queue: those whose decision id
/// hashes below R. The hash u is the first 53 bits of SHA-256 of the decision id's 32 lowercase hex digits (big-endian)
/// as a fraction of 2^53: uniform on [0, 1) and independent of the item, so the audited decisions are a
/// simple random sample of the trusted ones at rate R, and anyone can check one with
/// <c>printf %s ID | sha256sum</c>. Deterministic: the same id is always sampled or never.
/// </summary>
internal static class AuditSampling
{
    /// <summary>The decision id's position in [0, 1).</summary>
    public static double Hash(Guid decisionId)
    {
        Span<byte> text = stackalloc byte[32];
        decisionId.TryFormat(text, out _, "N");
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(text, digest);
        return (BinaryPrimitives.ReadUInt64BigEndian(digest) >> 11) * (1.0 / (1UL << 53));
    }

    /// <summary>True when a trusted decision with this id is audited at <paramref name="rate"/> (never at 0, always at 1).</summary>
    public static bool Selected(Guid decisionId, double rate) => rate > 0 && (rate >= 1 || Hash(decisionId) < rate);
}
