using System.IO.Hashing;

namespace Lpp;

/// <summary>
/// Reads decision records from JSON Lines files (plain or gzip) in constant memory, turning every non-blank line
/// into either a record or a rejection: nothing read is lost. Ids must be unique within a file; the check keeps a
/// 64-bit hash per id (8 bytes a record), so a hash collision (odds about n²/2⁶⁵) would report a false duplicate.
/// </summary>
public static class DecisionRecordReader
{
    /// <summary>Reads every line of <paramref name="path"/>. Throws <see cref="IOException"/> only when the file cannot be opened or read.</summary>
    public static IEnumerable<RecordReadResult> Read(string path)
    {
        using var lines = JsonLinesReader.Open(path);
        var parser = new DecisionRecordParser();
        var ids = new Dictionary<ulong, long>();
        while (lines.TryRead(out var line))
        {
            yield return Interpret(path, line, parser, ids);
        }
    }

    /// <summary>Reads every file in turn.</summary>
    public static IEnumerable<RecordReadResult> Read(IEnumerable<string> paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        foreach (var path in paths)
        {
            foreach (var result in Read(path))
            {
                yield return result;
            }
        }
    }

    /// <summary>Reads only the records, throwing on the first rejected line (for trusted files such as test fixtures).</summary>
    /// <exception cref="RecordFormatException">A line of <paramref name="path"/> is not a valid record.</exception>
    public static IEnumerable<DecisionRecord> ReadValid(string path)
    {
        foreach (var result in Read(path))
        {
            if (result.Rejection is { } rejection)
            {
                throw new RecordFormatException($"{rejection.File}:{rejection.Line}: {rejection.Reason}");
            }

            yield return result.Record!;
        }
    }

    private static RecordReadResult Interpret(string path, JsonLine line, DecisionRecordParser parser, Dictionary<ulong, long> ids)
    {
        var bytes = line.Bytes.Span;
        if (line.Problem is not null)
        {
            return Reject(line.Problem);
        }

        if (bytes.Length >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF)
        {
            return Reject("byte-order mark in the middle of the file");
        }

        if (!parser.TryParse(bytes, out var record, out var error))
        {
            return Reject(error!);
        }

        var key = XxHash3.HashToUInt64(MemoryMarshalBytes(record!.Id));
        if (!ids.TryAdd(key, line.Number))
        {
            return Reject($"duplicate id '{record.Id}' (first on line {ids[key]})");
        }

        return new RecordReadResult(record, null, line.Number);

        RecordReadResult Reject(string reason) =>
            new(null, RecordRejection.FromBytes(path, line.Number, reason, line.Bytes.Span), line.Number);
    }

    private static ReadOnlySpan<byte> MemoryMarshalBytes(string id) =>
        System.Runtime.InteropServices.MemoryMarshal.AsBytes(id.AsSpan());
}
