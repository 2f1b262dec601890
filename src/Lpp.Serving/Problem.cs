using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Lpp.Serving;

/// <summary>
/// RFC 9457 problem details, <c>application/problem+json</c>: <c>{"type", "title", "status", "detail", "field"}</c>,
/// where <c>field</c> names the request field at fault. Never a stack trace.
/// </summary>
internal static class Problem
{
    /// <summary>Writes a problem response.</summary>
    public static async Task WriteAsync(HttpContext context, int status, string title, string detail, string? field = null)
    {
        using var buffer = new PooledBufferWriter(512);
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            writer.WriteStartObject();
            writer.WriteString("type"u8, "about:blank"u8);
            writer.WriteString("title"u8, title);
            writer.WriteNumber("status"u8, status);
            writer.WriteString("detail"u8, detail);
            if (field is not null)
            {
                writer.WriteString("field"u8, field);
            }

            writer.WriteEndObject();
        }

        context.Response.StatusCode = status;
        context.Response.ContentType = "application/problem+json";
        context.Response.ContentLength = buffer.WrittenCount;
        await context.Response.Body.WriteAsync(buffer.WrittenMemory).ConfigureAwait(false);
    }

    /// <summary>
    /// The field a record error is about, from the parser's one-line reason: "labels must not be empty" → labels,
    /// "missing id" → id, "output.band 'X' is not..." → output.band; "$" (the whole record) for JSON syntax errors.
    /// </summary>
    public static string FieldOf(string recordError)
    {
        if (recordError.StartsWith("missing ", StringComparison.Ordinal))
        {
            return FirstWord(recordError["missing ".Length..]);
        }

        if (recordError.StartsWith("invalid JSON", StringComparison.Ordinal)
            || recordError.StartsWith("unexpected ", StringComparison.Ordinal)
            || recordError.StartsWith("a record ", StringComparison.Ordinal))
        {
            return "$";
        }

        return FirstWord(recordError);
    }

    private static string FirstWord(string text)
    {
        var end = text.IndexOf(' ', StringComparison.Ordinal);
        return end < 0 ? text : text[..end];
    }
}
