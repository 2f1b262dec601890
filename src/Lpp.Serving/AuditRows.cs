using System.Buffers.Binary;
using System.IO.Compression;

namespace Lpp.Serving;

/// <summary>
/// The row layout both audit stores share (format 2): one row per request holding the body as received (deflated from
/// <see cref="ServeDefaults.CompressBodyBytes"/> up) and its decisions packed, <see cref="PackedSize"/> bytes each:
/// record start and length in the body, batch index (int32), reason and queue (byte; the queue byte's high bit marks a
/// trusted decision sampled for audit), score and cost (double), all little-endian. Decision number k of a request has
/// id first_id + k (<see cref="DecisionIds"/>). The audit rate in force is a column of the request row, and so are the
/// shadow model (<c>--shadow-model</c>) and its decisions packed, <see cref="ShadowPackedSize"/> bytes each: the shadow's
/// score (double, little-endian) and reason (byte; <see cref="NotScored"/> when it could not score the record).
/// </summary>
internal static class AuditRows
{
    /// <summary>Bytes per packed decision.</summary>
    public const int PackedSize = 30;

    /// <summary>Bytes per packed shadow decision.</summary>
    public const int ShadowPackedSize = 9;

    /// <summary>The first review column of every entry query (verdict, reviewer, caller, time; NULLs without a review).</summary>
    public const int ReviewColumn = 11;

    /// <summary>The column after the review's: where queries that read a decision's k put it.</summary>
    public const int KColumn = 15;

    /// <summary>The shadow reason byte of a record the shadow model could not score.</summary>
    private const byte NotScored = 0xFF;

    /// <summary>The queue byte's bit that marks a decision sampled for audit.</summary>
    private const int AuditFlag = 0x80;

    private static readonly string[] QueueNames = [Queues.Auto, Queues.Review, Queues.SeniorReview, Queues.PolicyReview];

    /// <summary>Packs the request's decisions into <paramref name="packed"/> (at least Count × <see cref="PackedSize"/> bytes).</summary>
    public static void Pack(AuditRequest request, Span<byte> packed)
    {
        var bodyLength = request.Body.Length;
        for (var k = 0; k < request.Count; k++)
        {
            ref readonly var d = ref request.Decisions[k];
            var p = packed.Slice(k * PackedSize, PackedSize);
            var (start, length) = d.Record.GetOffsetAndLength(bodyLength);
            BinaryPrimitives.WriteInt32LittleEndian(p, start);
            BinaryPrimitives.WriteInt32LittleEndian(p[4..], length);
            BinaryPrimitives.WriteInt32LittleEndian(p[8..], d.Index);
            p[12] = (byte)d.Reason;
            p[13] = (byte)((QueueIndex(d.Queue) + 1) | (d.Audit ? AuditFlag : 0));
            BinaryPrimitives.WriteDoubleLittleEndian(p[14..], d.Score);
            BinaryPrimitives.WriteDoubleLittleEndian(p[22..], d.Cost);
        }
    }

    /// <summary>Packs the shadow model's score and reason for each of the request's decisions into <paramref name="packed"/> (at least Count × <see cref="ShadowPackedSize"/> bytes).</summary>
    public static void PackShadow(AuditRequest request, Span<byte> packed)
    {
        for (var k = 0; k < request.Count; k++)
        {
            ref readonly var d = ref request.Decisions[k];
            var p = packed.Slice(k * ShadowPackedSize, ShadowPackedSize);
            BinaryPrimitives.WriteDoubleLittleEndian(p, d.ShadowScore);
            p[8] = d.ShadowReason is { } reason ? (byte)reason : NotScored;
        }
    }

    /// <summary>
    /// The body as stored: as received (codec 0), or raw deflate (RFC 1951, codec 1) when it is
    /// <see cref="ServeDefaults.CompressBodyBytes"/> or more; <paramref name="scratch"/> holds the deflated bytes.
    /// </summary>
    public static ReadOnlySpan<byte> StoredBody(ReadOnlySpan<byte> body, MemoryStream scratch, out int codec)
    {
        // Batch bodies compress about 15 times at deflate's fastest level, for ~0.2 µs a record; a single record
        // only by a third, for ~4 µs: those are stored as received.
        if (body.Length < ServeDefaults.CompressBodyBytes)
        {
            codec = 0;
            return body;
        }

        scratch.SetLength(0);
        using (var deflate = new DeflateStream(scratch, CompressionLevel.Fastest, leaveOpen: true))
        {
            deflate.Write(body);
        }

        codec = 1;
        return scratch.GetBuffer().AsSpan(0, (int)scratch.Length);
    }

    /// <summary>A stored body as received.</summary>
    public static byte[] Body(byte[] stored, int codec)
    {
        if (codec == 0)
        {
            return stored;
        }

        using var inflate = new DeflateStream(new MemoryStream(stored), CompressionMode.Decompress);
        using var output = new MemoryStream(stored.Length * 8);
        inflate.CopyTo(output);
        return output.ToArray();
    }

    /// <summary>
    /// Decision <paramref name="k"/> of a request row read by either store's query, whose columns are, in order: first
    /// id, decision count (not read here), created (ms), model, packed decisions, body, codec, caller, audit rate, the
    /// shadow model's checksum and packed decisions (NULLs without one), then from <see cref="ReviewColumn"/> the
    /// review's verdict, reviewer, key and time (NULLs when unreviewed).
    /// </summary>
    public static AuditEntry Entry(System.Data.Common.DbDataReader reader, int k, DecisionRecordParser parser) =>
        Entry(
            (byte[])reader.GetValue(0),
            (byte[])reader.GetValue(4),
            Body((byte[])reader.GetValue(5), reader.GetInt32(6)),
            k,
            reader.GetInt64(2),
            reader.GetString(3),
            reader.GetString(7),
            reader.IsDBNull(ReviewColumn) ? null : new StoredReview(reader.GetString(ReviewColumn), reader.GetString(ReviewColumn + 1), reader.GetString(ReviewColumn + 2), reader.GetInt64(ReviewColumn + 3)),
            parser,
            reader.GetDouble(8),
            Shadow(reader));

    /// <summary>The shadow model's checksum and packed decisions of a request row (columns 9 and 10), or nulls.</summary>
    public static (string Checksum, byte[] Packed)? Shadow(System.Data.Common.DbDataReader reader) =>
        reader.IsDBNull(9) || reader.IsDBNull(10) ? null : (reader.GetString(9), (byte[])reader.GetValue(10));

    /// <summary>Decision <paramref name="k"/> of a stored request row.</summary>
    public static AuditEntry Entry(byte[] firstId, byte[] decisions, byte[] body, int k, long createdMs, string model, string caller, StoredReview? review, DecisionRecordParser parser, double auditRate, (string Checksum, byte[] Packed)? shadow)
    {
        var first = new Guid(firstId, bigEndian: true);
        var packed = decisions.AsSpan(k * PackedSize, PackedSize);
        var record = body.AsSpan(BinaryPrimitives.ReadInt32LittleEndian(packed), BinaryPrimitives.ReadInt32LittleEndian(packed[4..])).ToArray();
        string? shadowReason = null;
        var shadowScore = double.NaN;
        if (shadow is { } s)
        {
            var p = s.Packed.AsSpan(k * ShadowPackedSize, ShadowPackedSize);
            shadowScore = BinaryPrimitives.ReadDoubleLittleEndian(p);
            shadowReason = p[8] == NotScored ? null : Queues.ReasonName((RoutingReason)p[8]);
        }

        return new AuditEntry(
            ServedDecisionJson.Format(DecisionIds.Nth(first, k)),
            parser.Parse(record).Id,
            Queues.ReasonName((RoutingReason)packed[12]),
            QueueNames[packed[13] & ~AuditFlag],
            BinaryPrimitives.ReadDoubleLittleEndian(packed[14..]),
            BinaryPrimitives.ReadDoubleLittleEndian(packed[22..]),
            model,
            createdMs,
            record,
            caller,
            BinaryPrimitives.ReadInt32LittleEndian(packed[8..]),
            review,
            (packed[13] & AuditFlag) != 0,
            auditRate,
            shadow?.Checksum,
            shadowReason,
            shadowScore);
    }

    /// <summary>0, 1, 2 for the escalation queues; -1 for auto (and audit: its decisions are stored as auto, flagged).</summary>
    public static int QueueIndex(string queue) => queue switch
    {
        Queues.Review => 0,
        Queues.SeniorReview => 1,
        Queues.PolicyReview => 2,
        _ => -1,
    };
}
