using System.Globalization;
using System.Text.Json;

namespace Lpp.Inference;

/// <summary>Classifies HTTP error answers of every provider the same way, and reads the delay they ask for.</summary>
internal static class HttpErrors
{
    /// <summary>The longest delay taken from a server before the runner's own cap: one day.</summary>
    internal static readonly TimeSpan LongestDelay = TimeSpan.FromDays(1);

    public static ProviderException Classify(int status, string body, string? retryAfterHeader, TimeProvider time, string? secret)
    {
        var detail = Redact(Message(body), secret);
        var message = $"HTTP {status.ToString(CultureInfo.InvariantCulture)}: {detail}";
        var retryAfter = RetryAfter(retryAfterHeader, time) ?? RetryDelayInBody(body);
        if (status is 400 or 403 && detail.Contains("logprob", StringComparison.OrdinalIgnoreCase))
        {
            return new ProviderException(ProviderErrorKind.LogprobsRefused, message, status);
        }

        var transient = status is 408 or 409 or 425 or 429 or >= 500;
        return new ProviderException(transient ? ProviderErrorKind.Transient : ProviderErrorKind.Permanent, message, status, retryAfter);
    }

    /// <summary>
    /// A transport failure (no HTTP answer) as a transient error naming the host and the cause, for example
    /// <c>cannot reach api.openai.com: name not resolved</c>: the same words for every request that fails the same way.
    /// </summary>
    public static ProviderException Transport(Exception e, Uri endpoint, string? secret)
    {
        var cause = e;
        while (cause is not HttpRequestException && cause.InnerException is { } inner)
        {
            cause = inner;
        }

        var socket = cause is HttpRequestException { InnerException: System.Net.Sockets.SocketException s } ? s.SocketErrorCode : (System.Net.Sockets.SocketError?)null;
        var reason = cause is HttpRequestException http
            ? http.HttpRequestError switch
            {
                HttpRequestError.NameResolutionError => "name not resolved",
                HttpRequestError.ConnectionError when socket == System.Net.Sockets.SocketError.ConnectionRefused => "connection refused",
                HttpRequestError.ConnectionError when socket == System.Net.Sockets.SocketError.TimedOut => "connection timed out",
                HttpRequestError.ConnectionError when socket == System.Net.Sockets.SocketError.NetworkUnreachable => "network unreachable",
                HttpRequestError.ConnectionError => "cannot connect",
                HttpRequestError.SecureConnectionError => "TLS handshake failed",
                HttpRequestError.ResponseEnded => "the connection closed before the answer ended",
                _ => "the response could not be read: " + Redact(http.Message, secret),
            }
            : "the response could not be read: " + Redact(e.Message, secret);
        return new ProviderException(ProviderErrorKind.Transient, $"cannot reach {endpoint.Host}: {reason}", inner: e);
    }

    public static string Redact(string text, string? secret) =>
        string.IsNullOrEmpty(secret) ? text : text.Replace(secret, "[redacted]", StringComparison.Ordinal);

    /// <summary>Retry-After as delta-seconds or an HTTP date.</summary>
    public static TimeSpan? RetryAfter(string? header, TimeProvider time)
    {
        if (string.IsNullOrWhiteSpace(header))
        {
            return null;
        }

        if (double.TryParse(header.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds))
        {
            return Delay(seconds);
        }

        if (DateTimeOffset.TryParseExact(header.Trim(), "r", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date))
        {
            var delay = date - time.GetUtcNow();
            return delay > TimeSpan.Zero ? Delay(delay.TotalSeconds) : TimeSpan.Zero;
        }

        return null;
    }

    /// <summary>The <c>error.message</c> of a JSON error body, else the body cut to 300 characters.</summary>
    private static string Message(string body)
    {
        try
        {
            using var doc = JsonDocument.Parse(body);
            if (doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("error", out var error))
            {
                if (error.ValueKind == JsonValueKind.String)
                {
                    return error.GetString()!;
                }

                if (error.ValueKind == JsonValueKind.Object && error.TryGetProperty("message", out var message) && message.ValueKind == JsonValueKind.String)
                {
                    return message.GetString()!;
                }
            }
        }
        catch (JsonException)
        {
        }

        var flat = body.ReplaceLineEndings(" ").Trim();
        return flat.Length <= 300 ? flat : flat[..300] + "...";
    }

    /// <summary>Google's <c>RetryInfo.retryDelay</c> ("30s") in an error body.</summary>
    private static TimeSpan? RetryDelayInBody(string body)
    {
        var at = body.IndexOf("\"retryDelay\"", StringComparison.Ordinal);
        if (at < 0)
        {
            return null;
        }

        var quote = body.IndexOf('"', body.IndexOf(':', at) + 1);
        var end = quote < 0 ? -1 : body.IndexOf('"', quote + 1);
        if (end < 0)
        {
            return null;
        }

        var value = body[(quote + 1)..end].TrimEnd('s');
        return double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) ? Delay(seconds) : null;
    }

    /// <summary>
    /// A delay a server asked for, in seconds: null (fall back to backoff) unless finite and not negative; held under
    /// <see cref="LongestDelay"/> so that no number from a server overflows a <see cref="TimeSpan"/>. The runner caps
    /// it again at its own maximum retry delay.
    /// </summary>
    internal static TimeSpan? Delay(double seconds) =>
        double.IsFinite(seconds) && seconds >= 0 ? TimeSpan.FromSeconds(Math.Min(seconds, LongestDelay.TotalSeconds)) : null;
}
