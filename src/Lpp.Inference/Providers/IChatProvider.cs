namespace Lpp.Inference;

/// <summary>
/// A model behind a wire format. The runner builds the exact request body (its hash keys the response cache), sends
/// it, and parses the raw body it got back (raw bodies are what the cache and the records keep).
/// </summary>
public interface IChatProvider
{
    /// <summary>The provider name written to <c>source.provider</c> (openai, openai-compatible, gemini, local).</summary>
    string Name { get; }

    /// <summary>The model name written to <c>source.model</c>.</summary>
    string Model { get; }

    /// <summary>Where requests go (the base URL, or for a local model its file's full path): part of the cache key.</summary>
    string Endpoint { get; }

    /// <summary>The request body for <paramref name="prompt"/> (JSON, without credentials).</summary>
    string BuildRequest(ChatPrompt prompt, DecodingOptions decoding);

    /// <summary>Sends a request body and returns the raw response body.</summary>
    /// <exception cref="ProviderException">The provider answered with an error status or the body could not be read.</exception>
    Task<string> SendAsync(string requestBody, CancellationToken cancellationToken);

    /// <summary>Parses a raw response body.</summary>
    /// <exception cref="ProviderException">The body is not a valid response.</exception>
    ProviderResponse Parse(string responseBody);
}
