using System.Text.Json;

namespace Lpp;

/// <summary>A line that was read but could not be used, with the reason; written as one JSON line to the rejects file.</summary>
/// <param name="File">The input file.</param>
/// <param name="Line">1-based line number.</param>
/// <param name="Reason">One-line reason naming the field at fault.</param>
/// <param name="Text">The start of the line, at most <see cref="MaxTextLength"/> characters.</param>
public sealed record RecordRejection(string File, long Line, string Reason, string Text)
{
    /// <summary>How much of a rejected line is kept: 200 characters.</summary>
    public const int MaxTextLength = 200;

    /// <summary>Builds a rejection from the raw bytes of a line (decoded leniently and cut to <see cref="MaxTextLength"/>).</summary>
    public static RecordRejection FromBytes(string file, long line, string reason, ReadOnlySpan<byte> bytes)
    {
        var text = System.Text.Encoding.UTF8.GetString(bytes[..Math.Min(bytes.Length, MaxTextLength * 4)]);
        if (text.Length > MaxTextLength)
        {
            text = text[..MaxTextLength];
        }

        return new RecordRejection(file, line, reason, text);
    }

    /// <summary>The JSON line <c>{"file", "line", "reason", "text"}</c>.</summary>
    public string ToJson()
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, DecisionRecordJson.WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("file", File);
            writer.WriteNumber("line", Line);
            writer.WriteString("reason", Reason);
            writer.WriteString("text", Text);
            writer.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }
}
