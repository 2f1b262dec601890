using System.Text.Json;

namespace Lpp.Inference.Tests;

public sealed class OpenAiChatProviderTests
{
    private static readonly Concept Hate = ModerationDataset.Concepts[1];

    [Fact]
    public async Task SendAsync_TextItem_SendsTheContractRequest()
    {
        // Given a loopback server that answers with a constructed body
        await using var server = new LoopbackServer((_, _) => Reply.Json(Bodies.OpenAi(Bodies.Direct1)));
        using var http = new HttpClient();
        var provider = new OpenAiChatProvider(new OpenAiProviderOptions { Model = "gpt-4o-mini", ApiKey = "sk-test", BaseUrl = server.BaseUrl }, http);
        var prompt = new PromptBuilder(PromptTemplates.Default, false).Build(new InferenceItem { Id = "a", Text = "hello" }, Hate);

        // When the request is sent
        var body = await provider.SendAsync(provider.Codec.Encode(new ChatRequest(prompt, new DecodingOptions())), TestContext.Current.CancellationToken);

        // Then the server saw the documented request: logprobs, top-20, greedy decoding, strict schema with outcome first
        var request = Assert.Single(server.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal("/v1/chat/completions", request.Path);
        Assert.Equal("Bearer sk-test", request.Headers["Authorization"]);
        using var json = JsonDocument.Parse(request.Body);
        var root = json.RootElement;
        Assert.Equal("gpt-4o-mini", root.GetProperty("model").GetString());
        Assert.True(root.GetProperty("logprobs").GetBoolean());
        Assert.Equal(20, root.GetProperty("top_logprobs").GetInt32());
        Assert.Equal(0, root.GetProperty("temperature").GetDouble());
        Assert.Equal(1, root.GetProperty("top_p").GetDouble());
        Assert.Equal(1, root.GetProperty("n").GetInt32());
        Assert.Equal(8096, root.GetProperty("max_completion_tokens").GetInt32());
        var schema = root.GetProperty("response_format").GetProperty("json_schema");
        Assert.True(schema.GetProperty("strict").GetBoolean());
        Assert.Equal("outcome", schema.GetProperty("schema").GetProperty("properties").EnumerateObject().First().Name);
        Assert.Equal("system", root.GetProperty("messages")[0].GetProperty("role").GetString());
        Assert.Contains(Hate.Definition, root.GetProperty("messages")[0].GetProperty("content").GetString(), StringComparison.Ordinal);
        Assert.Contains("hello", root.GetProperty("messages")[1].GetProperty("content").GetString(), StringComparison.Ordinal);
        Assert.Equal("1", provider.Codec.Decode(body).Tokens![3].Token);
    }

    [Fact]
    public async Task SendAsync_MultimodalItem_SendsImageParts()
    {
        using var temp = new TempDir();
        byte[] png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 7];
        File.WriteAllBytes(temp.File("thumb.png"), png);
        await using var server = new LoopbackServer((_, _) => Reply.Json(Bodies.OpenAi(Bodies.Direct1)));
        using var http = new HttpClient();
        var provider = new OpenAiChatProvider(new OpenAiProviderOptions { Model = "gpt-4o", ApiKey = "k", BaseUrl = server.BaseUrl }, http);
        var item = new InferenceItem { Id = "v", Text = "caption", Thumbnail = "thumb.png", Frames = ["https://example.invalid/f1.jpg", "data:image/webp;base64,AAAA"] };
        var prompt = new PromptBuilder(PromptTemplates.Default, true, new MediaOptions { Root = temp.Path }).Build(item, Hate);

        await provider.SendAsync(provider.Codec.Encode(new ChatRequest(prompt, new DecodingOptions())), TestContext.Current.CancellationToken);

        using var json = JsonDocument.Parse(Assert.Single(server.Requests).Body);
        var parts = json.RootElement.GetProperty("messages")[1].GetProperty("content").EnumerateArray().ToList();
        Assert.Equal(["text", "image_url", "image_url", "image_url"], parts.Select(p => p.GetProperty("type").GetString()));
        Assert.Equal("data:image/png;base64," + Convert.ToBase64String(png), parts[1].GetProperty("image_url").GetProperty("url").GetString());
        Assert.Equal("https://example.invalid/f1.jpg", parts[2].GetProperty("image_url").GetProperty("url").GetString());
        Assert.Contains("reasoning_steps", json.RootElement.GetProperty("response_format").GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SendAsync_RecordedSession_ReplaysThroughTheSdk()
    {
        var recorded = Bodies.Recorded("openai-dotnet_ChatTests_TokenLogProbabilities_True_.json");
        await using var server = new LoopbackServer((_, _) => Reply.Json(recorded));
        using var http = new HttpClient();
        var provider = new OpenAiChatProvider(new OpenAiProviderOptions { Model = "gpt-4o-mini", ApiKey = "k", BaseUrl = server.BaseUrl }, http);

        var body = await provider.SendAsync("{}", TestContext.Current.CancellationToken);

        Assert.Equal(844, provider.Codec.Decode(body).Tokens!.Count);
    }

    [Fact]
    public void Parse_CompatibleServerShapes_AreTolerated()
    {
        // Given llama.cpp/vLLM/Ollama variations: an id per token, no bytes, top_logprobs null, a -3.4e38 floor,
        // unsorted alternatives with the chosen token repeated, a null logprob
        const string body = """
            {"choices":[{"index":0,"message":{"role":"assistant","content":"{\"outcome\":1,\"p_correct\":90,\"band\":\"H\"}"},
             "logprobs":{"content":[
               {"id":90,"token":"{\"","logprob":-0.1,"top_logprobs":null},
               {"id":1,"token":"outcome","logprob":-0.1},
               {"id":2,"token":"\":","logprob":-0.1,"bytes":null,"top_logprobs":[]},
               {"id":3,"token":"1","logprob":-0.2,"top_logprobs":[{"token":"0","logprob":-3.1},{"token":"2","logprob":-3.4028234663852886e38},{"token":"1","logprob":-0.2},{"token":"1","logprob":-0.25},{"token":"3","logprob":null}]},
               {"id":4,"token":",\"p_correct\":90,\"band\":\"H\"}","logprob":-0.3,"top_logprobs":null}]},
             "finish_reason":"stop","extra":{"timings":1}}],"usage":{"prompt_tokens":12,"completion_tokens":5},"system_fingerprint":null}
            """;

        var response = OpenAiResponseParser.Parse(body);
        var answer = AnswerValidator.Validate(response.Content, false);
        var signals = TokenAlignment.Extract(response.Tokens, response.Content!, answer, false);

        Assert.Equal(["1", "1", "0", "2"], signals.OutcomeTopLogprobs!.Select(a => a.Token));
        Assert.Equal(-3.4028234663852886e38, signals.OutcomeTopLogprobs![^1].Logprob);
        Assert.Null(response.Tokens![0].TopLogprobs);
        Assert.Equal(12, response.PromptTokens);
    }

    [Theory]
    [InlineData(400, """{"error":{"message":"This model is not allowed to request logprobs."}}""", ProviderErrorKind.LogprobsRefused)]
    [InlineData(403, """{"error":{"message":"You are not allowed to request logprobs from this model"}}""", ProviderErrorKind.LogprobsRefused)]
    [InlineData(400, """{"error":{"message":"Invalid image"}}""", ProviderErrorKind.Permanent)]
    [InlineData(401, """{"error":{"message":"Incorrect API key"}}""", ProviderErrorKind.Permanent)]
    [InlineData(429, """{"error":{"message":"Rate limit"}}""", ProviderErrorKind.Transient)]
    [InlineData(503, "upstream connect error", ProviderErrorKind.Transient)]
    public async Task SendAsync_ErrorStatus_IsClassified(int status, string body, ProviderErrorKind kind)
    {
        await using var server = new LoopbackServer((_, _) => new Reply(status, body));
        using var http = new HttpClient();
        var provider = new OpenAiChatProvider(new OpenAiProviderOptions { Model = "m", ApiKey = "k", BaseUrl = server.BaseUrl }, http);

        var e = await Assert.ThrowsAsync<ProviderException>(() => provider.SendAsync("{}", TestContext.Current.CancellationToken));

        Assert.Equal(kind, e.Kind);
        Assert.Equal(status, e.StatusCode);
        Assert.StartsWith($"HTTP {status}: ", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SendAsync_429WithRetryAfter_CarriesTheDelay()
    {
        await using var server = new LoopbackServer((_, _) => new Reply(429, "{}") { Headers = new Dictionary<string, string> { ["Retry-After"] = "7" } });
        using var http = new HttpClient();
        var provider = new OpenAiChatProvider(new OpenAiProviderOptions { Model = "m", ApiKey = "k", BaseUrl = server.BaseUrl }, http);

        var e = await Assert.ThrowsAsync<ProviderException>(() => provider.SendAsync("{}", TestContext.Current.CancellationToken));

        Assert.Equal(TimeSpan.FromSeconds(7), e.RetryAfter);
    }

    [Fact]
    public async Task SendAsync_ErrorEchoingTheKey_NeverShowsIt()
    {
        const string key = "sk-secret-0123456789";
        await using var server = new LoopbackServer((r, _) => new Reply(401, "{\"error\":{\"message\":\"Incorrect API key provided: " + r.Headers["Authorization"][7..] + "\"}}"));
        using var http = new HttpClient();
        var provider = new OpenAiChatProvider(new OpenAiProviderOptions { Model = "m", ApiKey = key, BaseUrl = server.BaseUrl }, http);

        var e = await Assert.ThrowsAsync<ProviderException>(() => provider.SendAsync("{}", TestContext.Current.CancellationToken));

        Assert.DoesNotContain(key, e.Message, StringComparison.Ordinal);
        Assert.Contains("[redacted]", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void BuildRequest_Compatible_SendsMaxTokensAndPlainText()
    {
        using var http = new HttpClient();
        var provider = new OpenAiChatProvider(new OpenAiProviderOptions { Model = "llama", BaseUrl = new Uri("http://127.0.0.1:1/v1"), Compatible = true }, http);
        var prompt = new PromptBuilder(PromptTemplates.Default, false).Build(new InferenceItem { Id = "a", Text = "t" }, Hate);

        using var json = JsonDocument.Parse(provider.Codec.Encode(new ChatRequest(prompt, new DecodingOptions { Logprobs = false })));

        Assert.Equal("openai-compatible", provider.Name);
        Assert.Equal(8096, json.RootElement.GetProperty("max_tokens").GetInt32());
        Assert.False(json.RootElement.TryGetProperty("logprobs", out _));
        Assert.Equal(JsonValueKind.String, json.RootElement.GetProperty("messages")[1].GetProperty("content").ValueKind);
    }
}
