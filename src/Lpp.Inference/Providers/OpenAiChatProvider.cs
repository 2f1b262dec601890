using System.ClientModel;
using System.ClientModel.Primitives;
using OpenAI;
using OpenAI.Chat;

namespace Lpp.Inference;

/// <summary>
/// Chat completions through the official OpenAI package, over an <see cref="HttpClient"/> the caller controls. The
/// request body is written by <see cref="OpenAiChatCodec"/> (the same body a batch line carries; it is also the cache
/// key) and sent with the package's protocol method; the raw body is read by the codec too, because compatible servers
/// send shapes the package's models reject (<c>top_logprobs: null</c>, absent <c>bytes</c>, -3.4e38 floors, unsorted
/// alternatives). Retries belong to the runner: the package's own are off.
/// </summary>
public sealed class OpenAiChatProvider : IChatProvider
{
    private readonly ChatClient _client;
    private readonly OpenAiProviderOptions _options;
    private readonly TimeProvider _time;

    /// <summary>Creates the provider.</summary>
    public OpenAiChatProvider(OpenAiProviderOptions options, HttpClient httpClient, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(httpClient);
        _options = options;
        _time = time ?? TimeProvider.System;
        Codec = new OpenAiChatCodec(options.Model, options.Compatible);
        var clientOptions = new OpenAIClientOptions
        {
            Transport = new HttpClientPipelineTransport(httpClient),
            RetryPolicy = new ClientRetryPolicy(0),
            NetworkTimeout = Timeout.InfiniteTimeSpan,
        };
        if (options.BaseUrl is not null)
        {
            clientOptions.Endpoint = options.BaseUrl;
        }

        // Compatible servers often need no key; the package insists on one, which such servers ignore.
        _client = new ChatClient(options.Model, new ApiKeyCredential(string.IsNullOrEmpty(options.ApiKey) ? "none" : options.ApiKey), clientOptions);
    }

    /// <inheritdoc />
    public string Name => _options.Compatible ? "openai-compatible" : "openai";

    /// <inheritdoc />
    public string Model => _options.Model;

    /// <inheritdoc />
    public string Endpoint => (_options.BaseUrl ?? OpenAiProviderOptions.DefaultBaseUrl).AbsoluteUri;

    /// <inheritdoc />
    public IChatCodec Codec { get; }

    /// <inheritdoc />
    public async Task<ChatAnswer> CompleteAsync(ChatRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var raw = await SendAsync(request.Body(Codec), cancellationToken).ConfigureAwait(false);
        return new ChatAnswer(raw, Codec.Decode(raw));
    }

    /// <summary>Sends a request body and returns the raw answer body (the synchronous transport).</summary>
    /// <exception cref="ProviderException">The provider answered with an error status or could not be reached.</exception>
    public async Task<string> SendAsync(string requestBody, CancellationToken cancellationToken)
    {
        PipelineResponse response;
        try
        {
            var result = await _client.CompleteChatAsync(
                BinaryContent.Create(BinaryData.FromString(requestBody)),
                new RequestOptions { ErrorOptions = ClientErrorBehaviors.NoThrow, CancellationToken = cancellationToken }).ConfigureAwait(false);
            response = result.GetRawResponse();
        }
        catch (Exception e) when (e is HttpRequestException or IOException or ClientResultException && !cancellationToken.IsCancellationRequested)
        {
            throw HttpErrors.Transport(e, _options.BaseUrl ?? OpenAiProviderOptions.DefaultBaseUrl, _options.ApiKey);
        }

        var body = response.Content.ToString();
        if (response.Status is < 200 or > 299)
        {
            response.Headers.TryGetValue("Retry-After", out var retryAfter);
            throw HttpErrors.Classify(response.Status, body, retryAfter, _time, _options.ApiKey);
        }

        return body;
    }
}
