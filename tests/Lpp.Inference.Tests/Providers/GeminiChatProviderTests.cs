using System.Text.Json;

namespace Lpp.Inference.Tests;

public sealed class GeminiChatProviderTests
{
    private static readonly Concept Violence = ModerationDataset.Concepts[2];

    [Fact]
    public async Task SendAsync_GeminiApi_SendsTheContractRequest()
    {
        // Given a loopback server standing in for generativelanguage.googleapis.com
        await using var server = new LoopbackServer((_, _) => Reply.Json(Bodies.Gemini(Bodies.DirectAnswer(0))));
        using var http = new HttpClient();
        var provider = new GeminiChatProvider(new GeminiProviderOptions { Model = "gemini-2.0-flash", ApiKey = "g-key", BaseUrl = new Uri(server.BaseUrl, "/v1beta/") }, http);
        var item = new InferenceItem { Id = "x", Text = "a clip", Thumbnail = "data:image/jpeg;base64,QUJD", VideoUri = "gs://bucket/v.mp4" };
        var prompt = new PromptBuilder(PromptTemplates.Default, false).Build(item, Violence);

        // When a request is sent
        var body = await provider.SendAsync(provider.Codec.Encode(new ChatRequest(prompt, new DecodingOptions())), TestContext.Current.CancellationToken);

        // Then it is generateContent with the key header, logprobs, and the schema with outcome first in propertyOrdering
        var request = Assert.Single(server.Requests);
        Assert.Equal("/v1beta/models/gemini-2.0-flash:generateContent", request.Path);
        Assert.Equal("g-key", request.Headers["x-goog-api-key"]);
        Assert.False(request.Headers.ContainsKey("Authorization"));
        using var json = JsonDocument.Parse(request.Body);
        var config = json.RootElement.GetProperty("generationConfig");
        Assert.True(config.GetProperty("responseLogprobs").GetBoolean());
        Assert.Equal(20, config.GetProperty("logprobs").GetInt32());
        Assert.Equal(0, config.GetProperty("temperature").GetDouble());
        Assert.Equal(1, config.GetProperty("candidateCount").GetInt32());
        Assert.Equal(8096, config.GetProperty("maxOutputTokens").GetInt32());
        Assert.Equal("application/json", config.GetProperty("responseMimeType").GetString());
        Assert.Equal("outcome", config.GetProperty("responseSchema").GetProperty("propertyOrdering")[0].GetString());
        Assert.Contains(Violence.Definition, json.RootElement.GetProperty("systemInstruction").GetProperty("parts")[0].GetProperty("text").GetString(), StringComparison.Ordinal);
        var parts = json.RootElement.GetProperty("contents")[0].GetProperty("parts");
        Assert.Equal("QUJD", parts[1].GetProperty("inlineData").GetProperty("data").GetString());
        Assert.Equal("image/jpeg", parts[1].GetProperty("inlineData").GetProperty("mimeType").GetString());
        Assert.Equal("gs://bucket/v.mp4", parts[2].GetProperty("fileData").GetProperty("fileUri").GetString());

        // And the answer's outcome token is found, the chosen token's filler alternatives kept as sent
        var response = provider.Codec.Decode(body);
        var answer = AnswerValidator.Validate(response.Content, false);
        var signals = TokenAlignment.Extract(response.Tokens, response.Content!, answer, false);
        Assert.Equal(0, answer.Outcome);
        Assert.Equal(["0", "1", "2", "3", " "], signals.OutcomeTopLogprobs!.Select(a => a.Token));
        Assert.Equal(250, response.PromptTokens);
    }

    [Fact]
    public async Task SendAsync_VertexEndpoint_UsesABearerToken()
    {
        await using var server = new LoopbackServer((_, _) => Reply.Json(Bodies.Gemini(Bodies.DirectAnswer(1))));
        using var http = new HttpClient();
        var baseUrl = new Uri(server.BaseUrl, "/v1/projects/p/locations/us-central1/publishers/google");
        var provider = new GeminiChatProvider(new GeminiProviderOptions { Model = "gemini-2.0-flash", ApiKey = "ya29.token", BaseUrl = baseUrl }, http);

        await provider.SendAsync("{}", TestContext.Current.CancellationToken);

        var request = Assert.Single(server.Requests);
        Assert.Equal("/v1/projects/p/locations/us-central1/publishers/google/models/gemini-2.0-flash:generateContent", request.Path);
        Assert.Equal("Bearer ya29.token", request.Headers["Authorization"]);
    }

    [Fact]
    public async Task SendAsync_LogprobsNotSupported_IsARefusal()
    {
        await using var server = new LoopbackServer((_, _) => new Reply(400, """{"error":{"code":400,"message":"Logprobs is not enabled for models/gemini-2.5-pro","status":"INVALID_ARGUMENT"}}"""));
        using var http = new HttpClient();
        var provider = new GeminiChatProvider(new GeminiProviderOptions { Model = "gemini-2.5-pro", ApiKey = "k", BaseUrl = server.BaseUrl }, http);

        var e = await Assert.ThrowsAsync<ProviderException>(() => provider.SendAsync("{}", TestContext.Current.CancellationToken));

        Assert.Equal(ProviderErrorKind.LogprobsRefused, e.Kind);
    }

    [Fact]
    public async Task SendAsync_ResourceExhausted_ReadsRetryDelayFromTheBody()
    {
        const string body = """{"error":{"code":429,"status":"RESOURCE_EXHAUSTED","message":"quota","details":[{"@type":"type.googleapis.com/google.rpc.RetryInfo","retryDelay":"31s"}]}}""";
        await using var server = new LoopbackServer((_, _) => new Reply(429, body));
        using var http = new HttpClient();
        var provider = new GeminiChatProvider(new GeminiProviderOptions { Model = "m", ApiKey = "k", BaseUrl = server.BaseUrl }, http);

        var e = await Assert.ThrowsAsync<ProviderException>(() => provider.SendAsync("{}", TestContext.Current.CancellationToken));

        Assert.Equal(ProviderErrorKind.Transient, e.Kind);
        Assert.Equal(TimeSpan.FromSeconds(31), e.RetryAfter);
    }

    [Fact]
    public void Parse_ThoughtPartsAndNoLogprobs_ContentOnlyFromAnswerParts()
    {
        const string body = """{"candidates":[{"content":{"parts":[{"text":"thinking...","thought":true},{"text":"{\"outcome\":2,\"p_correct\":40,\"band\":\"L\"}"}]},"finishReason":"STOP"}]}""";

        var response = GeminiResponseParser.Parse(body);

        Assert.Equal("""{"outcome":2,"p_correct":40,"band":"L"}""", response.Content);
        Assert.Null(response.Tokens);
    }
}
