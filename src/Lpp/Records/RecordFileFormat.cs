using System.Text;

namespace Lpp;

/// <summary>
/// Recognises files that are clearly not JSON Lines before any record is read, so that a CSV table, a Parquet file or
/// a JSON array given as records is named as such in one line instead of producing one rejection per line.
/// </summary>
public static class RecordFileFormat
{
    /// <summary>
    /// Null when <paramref name="path"/> may be JSON Lines (plain or gzip; empty counts); otherwise what it looks like,
    /// e.g. "is a Parquet file, not JSON Lines". A first line that is neither a JSON object nor one of these formats
    /// is left to the reader, which rejects it with its reason.
    /// </summary>
    /// <exception cref="IOException">The file cannot be read.</exception>
    /// <exception cref="UnauthorizedAccessException">The file cannot be opened.</exception>
    public static string? Problem(string path)
    {
        using (var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 16))
        {
            Span<byte> magic = stackalloc byte[4];
            if (file.ReadAtLeast(magic, 4, throwOnEndOfStream: false) == 4 && magic.SequenceEqual("PAR1"u8))
            {
                return "is a Parquet file, not JSON Lines (one JSON record per line)";
            }
        }

        using var reader = JsonLinesReader.Open(path);
        if (!reader.TryRead(out var line) || line.Problem is not null)
        {
            return null;
        }

        var bytes = line.Bytes.Span;
        if (bytes.StartsWith("\uFEFF"u8))
        {
            bytes = bytes[3..];
        }

        bytes = bytes.TrimStart(" \t\r"u8);
        if (bytes.IsEmpty || bytes[0] == (byte)'{')
        {
            return null;
        }

        if (bytes[0] == (byte)'[')
        {
            return "is a JSON array, not JSON Lines (one JSON record per line; convert with: jq -c '.[]')";
        }

        var text = Encoding.UTF8.GetString(bytes[..Math.Min(bytes.Length, 60)]);
        if (bytes.IndexOf((byte)',') >= 0 || bytes.IndexOf((byte)'\t') >= 0 || bytes.IndexOf((byte)';') >= 0)
        {
            var kind = bytes.IndexOf((byte)'\t') >= 0 && bytes.IndexOf((byte)',') < 0 ? "TSV" : "CSV";
            return $"looks like {kind} (first line: {text}{(bytes.Length > 60 ? "..." : string.Empty)}), not JSON Lines (one JSON record per line)";
        }

        return null;
    }
}
