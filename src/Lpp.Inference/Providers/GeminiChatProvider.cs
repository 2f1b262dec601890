using System.Text;

namespace Lpp.Inference;

/// <summary>
/// Gemini <c>generateContent</c> (the Gemini API, or Vertex AI with a bearer token): the body is written and the
/// answer read by <see cref="GeminiChatCodec"/>, the same code the batch path uses, and sent by the
/// <see cref="GeminiHttp"/> client the batch transport shares.
/// </summary>
public sealed class GeminiChatProvider : IChatProvider
{
    private readonly GeminiProviderOptions _options;
    private readonly GeminiHttp _http;
    private readonly Uri _endpoint;

    /// <summary>Creates the provider.</summary>
    public GeminiChatProvider(GeminiProviderOptions options, HttpClient httpClient, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(httpClient);
        _options = options;
        _http = new GeminiHttp(options, httpClient, time);
        _endpoint = new Uri(_http.Base, $"models/{Uri.EscapeDataString(options.Model)}:generateContent");
    }

    /// <inheritdoc />
    public string Name => "gemini";

    /// <inheritdoc />
    public string Model => _options.Model;

    /// <summary>The URL requests are sent to.</summary>
    public Uri GenerateUrl => _endpoint;

    /// <inheritdoc />
    public string Endpoint => _options.BaseUrl.AbsoluteUri;

    /// <inheritdoc />
    public IChatCodec Codec { get; } = new GeminiChatCodec();

    /// <inheritdoc />
    public async Task<ChatAnswer> CompleteAsync(ChatRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var raw = await SendAsync(request.Body(Codec), cancellationToken).ConfigureAwait(false);
        return new ChatAnswer(raw, Codec.Decode(raw));
    }

    /// <summary>Sends a request body and returns the raw answer body (the synchronous transport).</summary>
    /// <exception cref="ProviderException">The provider answered with an error status or could not be reached.</exception>
    public Task<string> SendAsync(string requestBody, CancellationToken cancellationToken) =>
        _http.SendAsync(HttpMethod.Post, _endpoint, new StringContent(requestBody, Encoding.UTF8, "application/json"), cancellationToken);
}
