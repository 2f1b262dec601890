namespace Lpp.Inference;

/// <summary>Creates the provider named on the command line.</summary>
public static class ChatProviders
{
    /// <summary>The provider names accepted by <c>--provider</c>.</summary>
    public static IReadOnlyList<string> Names { get; } = ["openai", "openai-compatible", "gemini", "local"];

    /// <summary>
    /// Creates a provider. <paramref name="model"/> is the model name, or for <c>local</c> the GGUF file path;
    /// <paramref name="apiKey"/> is never written anywhere.
    /// </summary>
    /// <exception cref="ArgumentException">An unknown provider name, or <c>openai-compatible</c> without a base URL.</exception>
    public static IChatProvider Create(string provider, string model, Uri? baseUrl, string? apiKey, HttpClient httpClient, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(provider);
        return provider switch
        {
            "openai" => new OpenAiChatProvider(new OpenAiProviderOptions { Model = model, ApiKey = apiKey, BaseUrl = baseUrl }, httpClient, time),
            "openai-compatible" => new OpenAiChatProvider(
                new OpenAiProviderOptions { Model = model, ApiKey = apiKey, BaseUrl = baseUrl ?? throw new ArgumentException("openai-compatible needs a base URL", nameof(baseUrl)), Compatible = true },
                httpClient,
                time),
            "gemini" => new GeminiChatProvider(
                new GeminiProviderOptions { Model = model, ApiKey = apiKey, BaseUrl = baseUrl ?? GeminiProviderOptions.DefaultBaseUrl },
                httpClient,
                time),
            "local" => new LocalLlamaProvider(new LocalLlamaOptions { ModelPath = model }),
            _ => throw new ArgumentException($"unknown provider '{provider}' (known: {string.Join(", ", Names)})", nameof(provider)),
        };
    }

    /// <summary>Creates the batch interface of a provider (openai, openai-compatible, gemini).</summary>
    /// <exception cref="ArgumentException">A provider without a batch interface (local), or openai-compatible without a base URL.</exception>
    public static IBatchTransport CreateBatch(string provider, string model, Uri? baseUrl, string? apiKey, HttpClient httpClient, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(provider);
        return provider switch
        {
            "openai" => new OpenAiBatchTransport(baseUrl, apiKey, httpClient, time),
            "openai-compatible" => new OpenAiBatchTransport(baseUrl ?? throw new ArgumentException("openai-compatible needs a base URL", nameof(baseUrl)), apiKey, httpClient, time),
            "gemini" => new GeminiBatchTransport(new GeminiProviderOptions { Model = model, ApiKey = apiKey, BaseUrl = baseUrl ?? GeminiProviderOptions.DefaultBaseUrl }, httpClient, time),
            _ => throw new ArgumentException($"provider '{provider}' has no batch interface (openai, openai-compatible, gemini do)", nameof(provider)),
        };
    }
}
