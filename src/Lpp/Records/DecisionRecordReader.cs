namespace Lpp;

/// <summary>
/// Reads decision records from JSON Lines files (plain or gzip) in constant memory, turning every non-blank line
/// into either a record or a rejection: nothing read is lost. Ids must be unique within a file; the check keeps a
/// 64-bit hash per id (<see cref="IdSet"/>, about 11 bytes a record: the only memory that grows with the input).
/// </summary>
public static class DecisionRecordReader
{
    /// <summary>Reads every line of <paramref name="path"/>. Throws <see cref="IOException"/> only when the file cannot be opened or read.</summary>
    public static IEnumerable<RecordReadResult> Read(string path)
    {
        using var lines = JsonLinesReader.Open(path);
        var parser = new DecisionRecordParser();
        var ids = new IdSet();
        while (lines.TryRead(out var line))
        {
            yield return Interpret(path, line, parser, ids);
        }
    }

    /// <summary>
    /// The <c>source</c> attribute keys of the valid records of <paramref name="paths"/>, in order of first appearance:
    /// a quick first pass for writers that need every column before the first row. Skips the duplicate-id check.
    /// </summary>
    public static IReadOnlyList<string> SourceKeys(IEnumerable<string> paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var keys = new List<string>();
        foreach (var path in paths)
        {
            using var lines = JsonLinesReader.Open(path);
            var parser = new DecisionRecordParser();
            while (lines.TryRead(out var line))
            {
                if (line.Problem is null && parser.TryParse(line.Bytes.Span, out var record, out _))
                {
                    foreach (var key in record!.Source.Keys)
                    {
                        if (!keys.Contains(key))
                        {
                            keys.Add(key);
                        }
                    }
                }
            }
        }

        return keys;
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

    private static RecordReadResult Interpret(string path, JsonLine line, DecisionRecordParser parser, IdSet ids)
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

        if (!ids.Add(record!.Id))
        {
            return Reject($"duplicate id '{record.Id}' (seen earlier in this file)");
        }

        return new RecordReadResult(record, null, line.Number);

        RecordReadResult Reject(string reason) =>
            new(null, RecordRejection.FromBytes(path, line.Number, reason, line.Bytes.Span), line.Number);
    }
}
