using System.Net.Http.Headers;

namespace Lpp.Inference;

/// <summary>
/// The HTTP client of the Gemini API that the synchronous provider and the batch transport share: credentials
/// (<c>x-goog-api-key</c>, or a bearer token for Vertex AI), the answer read whole, error statuses classified (with
/// <c>Retry-After</c> and the body's <c>retryDelay</c>), transport failures named, and the key never shown.
/// </summary>
internal sealed class GeminiHttp
{
    private readonly GeminiProviderOptions _options;
    private readonly HttpClient _http;
    private readonly TimeProvider _time;

    public GeminiHttp(GeminiProviderOptions options, HttpClient httpClient, TimeProvider? time)
    {
        _options = options;
        _http = httpClient;
        _time = time ?? TimeProvider.System;
        Base = options.BaseUrl.AbsoluteUri.EndsWith('/') ? options.BaseUrl : new Uri(options.BaseUrl.AbsoluteUri + "/");
    }

    /// <summary>The base URL, ending with a slash.</summary>
    public Uri Base { get; }

    /// <summary>Sends a request and returns the answer body.</summary>
    /// <exception cref="ProviderException">An error status, or the server could not be reached.</exception>
    public async Task<string> SendAsync(HttpMethod method, Uri url, HttpContent? content, CancellationToken cancellationToken) =>
        (await SendAsync(method, url, content, null, null, cancellationToken).ConfigureAwait(false)).Body;

    /// <summary>
    /// Sends a request with extra <paramref name="headers"/> and returns the answer body and the value of the answer
    /// header <paramref name="answerHeader"/> (or null).
    /// </summary>
    /// <exception cref="ProviderException">An error status, or the server could not be reached.</exception>
    public async Task<(string Body, string? Header)> SendAsync(HttpMethod method, Uri url, HttpContent? content, IReadOnlyDictionary<string, string>? headers, string? answerHeader, CancellationToken cancellationToken)
    {
        using var request = Request(method, url, content, headers);
        try
        {
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
            var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            Check(response, body);
            var header = answerHeader is not null && response.Headers.TryGetValues(answerHeader, out var values) ? values.FirstOrDefault() : null;
            return (body, header);
        }
        catch (Exception e) when (e is HttpRequestException or IOException && !cancellationToken.IsCancellationRequested)
        {
            throw HttpErrors.Transport(e, url, _options.ApiKey);
        }
    }

    /// <summary>Sends a GET and returns the answer once its headers are read, for the caller to stream and dispose.</summary>
    /// <exception cref="ProviderException">An error status, or the server could not be reached.</exception>
    public async Task<HttpResponseMessage> GetStreamAsync(Uri url, CancellationToken cancellationToken)
    {
        using var request = Request(HttpMethod.Get, url, null, null);
        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is HttpRequestException or IOException && !cancellationToken.IsCancellationRequested)
        {
            throw HttpErrors.Transport(e, url, _options.ApiKey);
        }

        if (!response.IsSuccessStatusCode)
        {
            using (response)
            {
                Check(response, await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false));
            }
        }

        return response;
    }

    /// <summary>True when <paramref name="url"/> is on the base URL's scheme, host and port (where the key may be sent).</summary>
    public bool SameOrigin(Uri url) =>
        url.IsAbsoluteUri && string.Equals(url.Scheme, Base.Scheme, StringComparison.OrdinalIgnoreCase)
        && string.Equals(url.Host, Base.Host, StringComparison.OrdinalIgnoreCase) && url.Port == Base.Port;

    private HttpRequestMessage Request(HttpMethod method, Uri url, HttpContent? content, IReadOnlyDictionary<string, string>? headers)
    {
        var request = new HttpRequestMessage(method, url) { Content = content };
        if (!string.IsNullOrEmpty(_options.ApiKey))
        {
            if (_options.IsVertex)
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _options.ApiKey);
            }
            else
            {
                request.Headers.Add("x-goog-api-key", _options.ApiKey);
            }
        }

        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return request;
    }

    private void Check(HttpResponseMessage response, string body)
    {
        if (!response.IsSuccessStatusCode)
        {
            var retryAfter = response.Headers.TryGetValues("Retry-After", out var values) ? values.FirstOrDefault() : null;
            throw HttpErrors.Classify((int)response.StatusCode, body, retryAfter, _time, _options.ApiKey);
        }
    }
}
