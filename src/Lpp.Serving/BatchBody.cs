using System.Text.Json;

namespace Lpp.Serving;

/// <summary>
/// Splits a batch body into its records: a JSON array of records, or JSON Lines (one record per line, blank lines
/// skipped, CRLF accepted). A record's index is its position in the array, or among the non-blank lines.
/// </summary>
internal static class BatchBody
{
    private static readonly JsonReaderOptions ReaderOptions = new() { MaxDepth = 64 };

    /// <summary>Fills <paramref name="items"/> with each record's byte range; returns why the body is malformed, or null.</summary>
    public static string? Split(ReadOnlySpan<byte> body, List<Range> items)
    {
        var offset = body.StartsWith("\uFEFF"u8) ? 3 : 0;
        var first = offset;
        while (first < body.Length && IsSpace(body[first]))
        {
            first++;
        }

        return first < body.Length && body[first] == (byte)'[' ? SplitArray(body, offset, items) : SplitLines(body, offset, items);
    }

    private static string? SplitArray(ReadOnlySpan<byte> body, int offset, List<Range> items)
    {
        var reader = new Utf8JsonReader(body[offset..], ReaderOptions);
        try
        {
            // The body is whole (a final block) and one JSON value: the reader throws at an array left open and at
            // anything but white space after it, so the loop ends at the closing bracket and the last Read only checks.
            reader.Read();
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                var start = offset + (int)reader.TokenStartIndex;
                reader.Skip();
                items.Add(start..(offset + (int)reader.BytesConsumed));
            }

            reader.Read();
        }
        catch (JsonException e)
        {
            // The reader's message names the line and byte position, and no path (only JsonSerializer adds one).
            return $"invalid JSON: {e.Message}";
        }

        return null;
    }

    private static string? SplitLines(ReadOnlySpan<byte> body, int offset, List<Range> items)
    {
        var start = offset;
        while (start < body.Length)
        {
            var newline = body[start..].IndexOf((byte)'\n');
            var end = newline < 0 ? body.Length : start + newline;
            var line = end;
            if (line > start && body[line - 1] == (byte)'\r')
            {
                line--;
            }

            if (!body[start..line].TrimStart(" \t"u8).IsEmpty)
            {
                items.Add(start..line);
            }

            start = end + 1;
        }

        return null;
    }

    private static bool IsSpace(byte b) => b is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n';
}
