using System.Text.Json;

namespace Lpp.Inference;

/// <summary>Reading provider response bodies.</summary>
internal static class ProviderJson
{
    /// <summary>Parses a body; invalid JSON (a truncated or garbled response) is a transient provider error, worth a retry.</summary>
    public static JsonDocument ParseBody(string body)
    {
        try
        {
            return JsonDocument.Parse(body);
        }
        catch (JsonException e)
        {
            throw new ProviderException(ProviderErrorKind.Transient, $"the response body is not valid JSON ({e.Message})", inner: e);
        }
    }
}
