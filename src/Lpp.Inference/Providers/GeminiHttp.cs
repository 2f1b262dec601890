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
    public async Task<string> SendAsync(HttpMethod method, Uri url, HttpContent? content, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, url) { Content = content };
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

        try
        {
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
            var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                var retryAfter = response.Headers.TryGetValues("Retry-After", out var values) ? values.FirstOrDefault() : null;
                throw HttpErrors.Classify((int)response.StatusCode, body, retryAfter, _time, _options.ApiKey);
            }

            return body;
        }
        catch (Exception e) when (e is HttpRequestException or IOException && !cancellationToken.IsCancellationRequested)
        {
            throw HttpErrors.Transport(e, url, _options.ApiKey);
        }
    }
}
