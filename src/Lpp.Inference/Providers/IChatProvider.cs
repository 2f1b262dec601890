namespace Lpp.Inference;

/// <summary>
/// A model behind a wire format, in the spirit of Microsoft.Extensions.AI's <c>IChatClient</c>: it takes a typed
/// <see cref="ChatRequest"/> and returns a typed <see cref="ChatAnswer"/>. Its <see cref="Codec"/> is the wire format
/// the batch path uses too, so a synchronous call and a batch line carry the same body and are read by the same
/// code. Caching, retries and rate limits wrap a provider as decorators (<see cref="CachingChatProvider"/>).
/// </summary>
public interface IChatProvider
{
    /// <summary>The provider name written to <c>source.provider</c> (openai, openai-compatible, gemini, local).</summary>
    string Name { get; }

    /// <summary>The model name written to <c>source.model</c>.</summary>
    string Model { get; }

    /// <summary>Where requests go (the base URL, or for a local model its file's full path): part of the cache key.</summary>
    string Endpoint { get; }

    /// <summary>The wire format: request bodies and answer reading.</summary>
    IChatCodec Codec { get; }

    /// <summary>Answers one request.</summary>
    /// <exception cref="ProviderException">The provider answered with an error, could not be reached, or its answer could not be read.</exception>
    Task<ChatAnswer> CompleteAsync(ChatRequest request, CancellationToken cancellationToken);
}
