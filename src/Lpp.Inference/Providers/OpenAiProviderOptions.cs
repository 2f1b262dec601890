namespace Lpp.Inference;

/// <summary>Settings of the OpenAI and OpenAI-compatible providers.</summary>
public sealed record OpenAiProviderOptions
{
    /// <summary>OpenAI's base URL, used when <see cref="BaseUrl"/> is null.</summary>
    public static readonly Uri DefaultBaseUrl = new("https://api.openai.com/v1/");

    /// <summary>The model name.</summary>
    public required string Model { get; init; }

    /// <summary>The API key, or null for servers that need none. Never written anywhere.</summary>
    public string? ApiKey { get; init; }

    /// <summary>The base URL ending in <c>/v1</c>; null means OpenAI's.</summary>
    public Uri? BaseUrl { get; init; }

    /// <summary>
    /// True for OpenAI-compatible servers (vLLM, llama.cpp server, Ollama, Azure OpenAI v1): the provider is named
    /// <c>openai-compatible</c> and sends <c>max_tokens</c>, which they all accept, instead of <c>max_completion_tokens</c>.
    /// </summary>
    public bool Compatible { get; init; }
}
