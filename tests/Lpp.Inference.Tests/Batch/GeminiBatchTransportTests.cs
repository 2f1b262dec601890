using System.Text.Json;

namespace Lpp.Inference.Tests;

public sealed class GeminiBatchTransportTests
{
    private static readonly HttpClient Http = new();

    private static readonly InferenceOptions Options = new() { Parallel = 1, RetryBaseDelay = TimeSpan.FromSeconds(1) };

    [Fact]
    public async Task RunAsync_OverTheInlineLimit_UploadsAFileAndReadsTheResultsFile()
    {
        // Given a Gemini server with the File API (resumable upload), a batch over the inline limit (1,000 bytes here),
        // and a results file in reverse order with an error for one request
        using var temp = new TempDir();
        List<(string Key, JsonElement Request)> uploaded = [];
        string? fileName = null;
        LoopbackServer? self = null;
        await using var server = new LoopbackServer((request, _) =>
        {
            var path = request.Path;
            if (request.Method == "POST" && path.EndsWith("/upload/v1/files", StringComparison.Ordinal))
            {
                Assert.Equal("start", request.Headers["X-Goog-Upload-Command"]);
                Assert.Equal("resumable", request.Headers["X-Goog-Upload-Protocol"]);
                Assert.Equal("g-key", request.Headers["x-goog-api-key"]);
                return new Reply(200, """{"file":{}}""") { Headers = new Dictionary<string, string> { ["X-Goog-Upload-URL"] = self!.BaseUrl.GetLeftPart(UriPartial.Authority) + "/upload/v1/files?upload_id=u1" } };
            }

            if (request.Method == "POST" && path.Contains("upload_id=u1", StringComparison.Ordinal))
            {
                Assert.Equal("upload, finalize", request.Headers["X-Goog-Upload-Command"]);
                Assert.Equal(request.Body.Length.ToString(System.Globalization.CultureInfo.InvariantCulture), request.Headers["Content-Length"]);
                foreach (var line in request.Body.Split('\n', StringSplitOptions.RemoveEmptyEntries))
                {
                    using var doc = JsonDocument.Parse(line);
                    uploaded.Add((doc.RootElement.GetProperty("key").GetString()!, doc.RootElement.GetProperty("request").Clone()));
                }

                return Reply.Json("""{"file":{"name":"files/in1","mimeType":"application/jsonl"}}""");
            }

            if (request.Method == "POST" && path.EndsWith("models/gemini-2.0-flash:batchGenerateContent", StringComparison.Ordinal))
            {
                using var doc = JsonDocument.Parse(request.Body);
                fileName = doc.RootElement.GetProperty("batch").GetProperty("input_config").GetProperty("file_name").GetString();
                return Reply.Json("""{"name":"batches/b1","metadata":{"state":"BATCH_STATE_PENDING"}}""");
            }

            if (request.Method == "GET" && path.EndsWith("/v1/batches/b1", StringComparison.Ordinal))
            {
                return Reply.Json("""{"name":"batches/b1","metadata":{"state":"BATCH_STATE_SUCCEEDED"},"done":true,"response":{"responsesFile":"files/out1"}}""");
            }

            if (request.Method == "GET" && path == "/download/v1/files/out1:download?alt=media")
            {
                var lines = uploaded.Select((u, i) => i == 0
                    ? $$$"""{"key":"{{{u.Key}}}","error":{"code":400,"message":"blocked"}}"""
                    : $$$"""{"key":"{{{u.Key}}}","response":{{{Bodies.Gemini(Bodies.Direct1)}}}}""").Reverse();
                return new Reply(200, string.Join('\n', lines) + "\n");
            }

            return new Reply(404, """{"error":{"message":"unexpected"}}""");
        });
        self = server;
        var time = new InstantTimeProvider();
        var options = new GeminiProviderOptions { Model = "gemini-2.0-flash", ApiKey = "g-key", BaseUrl = server.BaseUrl };
        InferenceSummary summary;
        using (var cache = new ResponseCache(temp.File("cache.db")))
        using (var ledger = new BatchLedger(temp.File("cache.db")))
        using (var file = new RecordFile(temp.File("out.jsonl")))
        {
            var transport = new GeminiBatchTransport(options, Http, time) { MaxInlineBytes = 1000 };
            var runner = new BatchRunner(new GeminiChatProvider(options, Http, time), transport, new BatchOptions { WorkFolder = temp.Path }, Options, new PromptBuilder(PromptTemplates.Default, false), cache, ledger, time);
            summary = await runner.RunAsync(() => InferenceTask.For(Items(3), [ModerationDataset.Concepts[1]], false), file, TestContext.Current.CancellationToken);
        }

        // Then the three requests went up as a file of generateContent bodies, the batch named it, and the records are
        // mapped by key: the first refused with the provider's message, the others answered
        Assert.Equal("files/in1", fileName);
        Assert.Equal(3, uploaded.Count);
        Assert.All(uploaded, u => Assert.True(u.Request.TryGetProperty("generationConfig", out _)));
        Assert.Equal(3, summary.Written);
        Assert.Equal(1, summary.Refused);
        var records = DecisionRecordReader.Read(temp.File("out.jsonl")).Select(r => r.Record!).ToDictionary(r => r.Id);
        Assert.Equal("batch: HTTP 400: blocked", records["i0/H"].NoAnswer);
        Assert.Equal("1", records["i1/H"].Output.Outcome);
        Assert.Equal("1", records["i2/H"].Output.Outcome);
    }

    [Fact]
    public async Task UploadAsync_UploadUrlOnAnotherHost_IsRefusedAndNothingIsSentThere()
    {
        // Given a File API whose upload URL points at another host (same port, other name)
        using var temp = new TempDir();
        LoopbackServer? self = null;
        await using var server = new LoopbackServer((request, _) => request.Path.EndsWith("/upload/v1/files", StringComparison.Ordinal)
            ? new Reply(200, "{}") { Headers = new Dictionary<string, string> { ["X-Goog-Upload-URL"] = $"http://localhost:{self!.BaseUrl.Port}/steal" } }
            : new Reply(404, "{}"));
        self = server;
        var transport = new GeminiBatchTransport(new GeminiProviderOptions { Model = "m", ApiKey = "g-key", BaseUrl = server.BaseUrl }, Http) { MaxInlineBytes = 10 };
        var file = temp.File("b.jsonl");
        await File.WriteAllTextAsync(file, "{\"key\":\"k\",\"request\":{}}\n", TestContext.Current.CancellationToken);

        var e = await Assert.ThrowsAsync<ProviderException>(() => transport.UploadAsync(file, 1, "lpp-a", TestContext.Current.CancellationToken));

        Assert.Equal(ProviderErrorKind.Permanent, e.Kind);
        Assert.Contains("upload URL is on another host (localhost)", e.Message, StringComparison.Ordinal);
        Assert.Single(server.Requests);
    }

    [Theory]
    [InlineData("../../etc/passwd")]
    [InlineData("files/../secret")]
    [InlineData("https://elsewhere.example/files/x")]
    public async Task PollAsync_ResultsFileThatIsNotAFilesName_IsRefused(string name)
    {
        await using var server = new LoopbackServer((_, _) => Reply.Json(
            $$$"""{"name":"batches/b1","metadata":{"state":"BATCH_STATE_SUCCEEDED"},"done":true,"response":{"responsesFile":{{{JsonSerializer.Serialize(name)}}}}}"""));
        var transport = new GeminiBatchTransport(new GeminiProviderOptions { Model = "m", ApiKey = "g-key", BaseUrl = server.BaseUrl }, Http);

        var e = await Assert.ThrowsAsync<ProviderException>(() => transport.PollAsync("batches/b1", TestContext.Current.CancellationToken));

        Assert.Contains("is not a files/ name", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UploadAsync_VertexOverTheInlineLimit_IsRefusedWithTheRemedy()
    {
        using var temp = new TempDir();
        await using var server = new LoopbackServer((_, _) => new Reply(404, "{}"));
        var transport = new GeminiBatchTransport(new GeminiProviderOptions { Model = "m", ApiKey = "token", BaseUrl = new Uri(server.BaseUrl, "projects/p/locations/l/publishers/google/") }, Http) { MaxInlineBytes = 10 };
        var file = temp.File("b.jsonl");
        await File.WriteAllTextAsync(file, "{\"key\":\"k\",\"request\":{}}\n", TestContext.Current.CancellationToken);

        var e = await Assert.ThrowsAsync<ProviderException>(() => transport.UploadAsync(file, 1, "lpp-a", TestContext.Current.CancellationToken));

        Assert.Contains("lower --batch-size", e.Message, StringComparison.Ordinal);
        Assert.Empty(server.Requests);
    }

    private static InferenceItem[] Items(int n) =>
        [.. Enumerable.Range(0, n).Select(i => new InferenceItem { Id = $"i{i}", Text = $"text {i}", Labels = new Dictionary<string, int> { ["H"] = i % 2 } })];
}
