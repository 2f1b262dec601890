namespace Lpp.Inference.Tests;

public sealed class CachingChatProviderTests
{
    private static readonly ChatPrompt Prompt = new PromptBuilder(PromptTemplates.Default, false)
        .Build(new InferenceItem { Id = "a", Text = "hello" }, ModerationDataset.Concepts[1]);

    [Fact]
    public async Task CompleteAsync_SameRequestTwice_AsksTheProviderOnceAndStoresTheRawBody()
    {
        // Given a caching decorator over a provider that counts its calls
        using var temp = new TempDir();
        using var cache = new ResponseCache(temp.File("c.db"));
        var inner = new CountingProvider(Bodies.OpenAi(Bodies.Direct1));
        var caching = new CachingChatProvider(inner, cache, new InstantTimeProvider());

        // When the same request (built twice, as two runs would) is asked twice
        var first = await caching.CompleteAsync(new ChatRequest(Prompt, new DecodingOptions()), TestContext.Current.CancellationToken);
        var second = await caching.CompleteAsync(new ChatRequest(Prompt, new DecodingOptions()), TestContext.Current.CancellationToken);

        // Then one call was made, the second answer is the stored body, marked as from the cache
        Assert.Equal(1, inner.Calls);
        Assert.False(first.FromCache);
        Assert.True(second.FromCache);
        Assert.Equal(first.Raw, second.Raw);
        Assert.Equal(first.Raw, cache.TryGet(CachingChatProvider.Key(inner, new ChatRequest(Prompt, new DecodingOptions()))));
    }

    [Fact]
    public async Task CompleteAsync_OtherDecoding_IsADifferentKey()
    {
        using var temp = new TempDir();
        using var cache = new ResponseCache(temp.File("c.db"));
        var inner = new CountingProvider(Bodies.OpenAi(Bodies.Direct1));
        var caching = new CachingChatProvider(inner, cache);

        await caching.CompleteAsync(new ChatRequest(Prompt, new DecodingOptions()), TestContext.Current.CancellationToken);
        var other = await caching.CompleteAsync(new ChatRequest(Prompt, new DecodingOptions { Logprobs = false }), TestContext.Current.CancellationToken);

        Assert.Equal(2, inner.Calls);
        Assert.False(other.FromCache);
    }

    [Fact]
    public async Task CompleteAsync_CachedBodyThatNoLongerDecodes_IsAskedAgainAndReplaced()
    {
        // Given a cache holding a broken body under the request's key
        using var temp = new TempDir();
        using var cache = new ResponseCache(temp.File("c.db"));
        var inner = new CountingProvider(Bodies.OpenAi(Bodies.Direct1));
        var key = CachingChatProvider.Key(inner, new ChatRequest(Prompt, new DecodingOptions()));
        cache.Put(key, "openai", "m", "{\"choices\": 7}", DateTimeOffset.UnixEpoch);

        var answer = await new CachingChatProvider(inner, cache).CompleteAsync(new ChatRequest(Prompt, new DecodingOptions()), TestContext.Current.CancellationToken);

        Assert.Equal(1, inner.Calls);
        Assert.False(answer.FromCache);
        Assert.Equal(Bodies.OpenAi(Bodies.Direct1), cache.TryGet(key));
    }

    [Fact]
    public void Body_OneRequest_IsEncodedOncePerCodec()
    {
        var codec = new CountingCodec();
        var request = new ChatRequest(Prompt, new DecodingOptions());

        var a = request.Body(codec);
        var b = request.Body(codec);
        var other = request.Body(new GeminiChatCodec());

        Assert.Same(a, b);
        Assert.Equal(1, codec.Encodes);
        Assert.NotEqual(a, other);
    }

    private sealed class CountingCodec : IChatCodec
    {
        private readonly OpenAiChatCodec _inner = new("m", compatible: false);

        public int Encodes { get; private set; }

        public string Encode(ChatRequest request)
        {
            Encodes++;
            return _inner.Encode(request);
        }

        public ProviderResponse Decode(string body) => _inner.Decode(body);
    }

    private sealed class CountingProvider(string body) : IChatProvider
    {
        private int _calls;

        public int Calls => Volatile.Read(ref _calls);

        public string Name => "openai";

        public string Model => "m";

        public string Endpoint => "http://127.0.0.1/v1/";

        public IChatCodec Codec { get; } = new OpenAiChatCodec("m", compatible: false);

        public Task<ChatAnswer> CompleteAsync(ChatRequest request, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _calls);
            return Task.FromResult(new ChatAnswer(body, Codec.Decode(body)));
        }
    }
}
