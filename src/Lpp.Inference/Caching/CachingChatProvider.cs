namespace Lpp.Inference;

/// <summary>
/// A provider decorator that answers from the <see cref="ResponseCache"/> when it can (keyed by provider, base URL,
/// model and the exact request body) and stores every answer it had to ask for, as soon as it is read (before its
/// record is written), so a run killed in between finds it on resume and calls nothing. A cached body that no longer
/// decodes is asked for again.
/// </summary>
public sealed class CachingChatProvider : IChatProvider
{
    private readonly IChatProvider _inner;
    private readonly ResponseCache _cache;
    private readonly TimeProvider _time;

    /// <summary>Wraps <paramref name="inner"/>.</summary>
    public CachingChatProvider(IChatProvider inner, ResponseCache cache, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentNullException.ThrowIfNull(cache);
        _inner = inner;
        _cache = cache;
        _time = time ?? TimeProvider.System;
    }

    /// <inheritdoc />
    public string Name => _inner.Name;

    /// <inheritdoc />
    public string Model => _inner.Model;

    /// <inheritdoc />
    public string Endpoint => _inner.Endpoint;

    /// <inheritdoc />
    public IChatCodec Codec => _inner.Codec;

    /// <summary>The cache key of a request to <paramref name="provider"/>.</summary>
    public static string Key(IChatProvider provider, ChatRequest request)
    {
        ArgumentNullException.ThrowIfNull(provider);
        ArgumentNullException.ThrowIfNull(request);
        return ResponseCache.Key(provider.Name, provider.Endpoint, provider.Model, request.Body(provider.Codec));
    }

    /// <inheritdoc />
    public async Task<ChatAnswer> CompleteAsync(ChatRequest request, CancellationToken cancellationToken)
    {
        var key = Key(_inner, request);
        if (_cache.TryGet(key) is { } cached)
        {
            try
            {
                return new ChatAnswer(cached, _inner.Codec.Decode(cached)) { FromCache = true };
            }
            catch (ProviderException)
            {
                // A cached body that no longer decodes is fetched again.
            }
        }

        var answer = await _inner.CompleteAsync(request, cancellationToken).ConfigureAwait(false);
        _cache.Put(key, _inner.Name, _inner.Model, answer.Raw, _time.GetUtcNow());
        return answer;
    }
}
