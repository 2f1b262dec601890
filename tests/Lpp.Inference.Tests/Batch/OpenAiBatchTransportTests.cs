namespace Lpp.Inference.Tests;

public sealed class OpenAiBatchTransportTests
{
    private static readonly HttpClient Http = new();

    [Fact]
    public async Task FindAsync_ServerKeepsNoMetadata_FindsTheBatchByItsInputFile()
    {
        // Given a compatible server that lists batches without their metadata (so not by the name they were created under)
        await using var batch = new FakeBatchServer { DropMetadata = true };
        using var temp = new TempDir();
        var transport = new OpenAiBatchTransport(batch.Server.BaseUrl, null, Http);
        var file = await OneLine(temp);
        var input = await transport.UploadAsync(file, 1, "lpp-a", TestContext.Current.CancellationToken);
        await transport.CreateAsync(file, input, 1, "lpp-a", TestContext.Current.CancellationToken);

        // Then the name alone finds nothing, and the uploaded file finds the batch created on it
        Assert.Equal("file-1", input);
        Assert.Null(await transport.FindAsync("lpp-a", null, batch.FakeClock, TestContext.Current.CancellationToken));
        Assert.Equal("batch_1", await transport.FindAsync("lpp-a", "file-1", batch.FakeClock, TestContext.Current.CancellationToken));
        Assert.Null(await transport.FindAsync("lpp-a", "file-2", batch.FakeClock, TestContext.Current.CancellationToken));
    }

    [Theory]
    [InlineData("..")]
    [InlineData(".")]
    [InlineData("../files/x")]
    [InlineData("file 1")]
    [InlineData("")]
    public async Task PollAsync_OutputFileThatIsNotAnId_IsRefused(string id)
    {
        // Given a server naming, as a batch's output file, something that would change the URL it is read from
        await using var server = new LoopbackServer((_, _) => Reply.Json(
            $$$"""{"id":"batch_1","object":"batch","status":"completed","output_file_id":{{{System.Text.Json.JsonSerializer.Serialize(id)}}},"error_file_id":null}"""));
        var transport = new OpenAiBatchTransport(server.BaseUrl, "sk-test", Http);

        var e = await Assert.ThrowsAsync<ProviderException>(() => transport.PollAsync("batch_1", TestContext.Current.CancellationToken));

        Assert.Equal(ProviderErrorKind.Transient, e.Kind);
        Assert.Equal($"batch batch_1: the output_file_id '{id}' is not an id", e.Message);
    }

    [Theory]
    [InlineData("files", """{"id":"../batches","object":"file"}""", "the file answer's id '../batches' is not an id")]
    [InlineData("files", """{"id":7,"object":"file"}""", "the file answer has no id")]
    [InlineData("files", """[1]""", "the file answer has no id")]
    [InlineData("batches", """{"id":"..","object":"batch","status":"validating"}""", "the batch answer's id '..' is not an id")]
    [InlineData("batches", """{"object":"batch","status":"validating"}""", "the batch answer is not a batch (no id or no status)")]
    [InlineData("batches", """{"id":"batch_1","object":"batch"}""", "the batch answer is not a batch (no id or no status)")]
    [InlineData("batches", """{"id":7,"object":"batch","status":"validating"}""", "the batch answer is not a batch (no id or no status)")]
    [InlineData("batches", """[]""", "the batch answer is not a batch (no id or no status)")]
    [InlineData("batches", """not json""", "the batch answer is not a batch (no id or no status)")]
    public async Task UploadAndCreate_AnswerWithoutAUsableId_IsATransientError(string endpoint, string answer, string message)
    {
        await using var server = new LoopbackServer((request, _) => request.Path.EndsWith("/" + endpoint, StringComparison.Ordinal)
            ? Reply.Json(answer)
            : Reply.Json("""{"id":"file-1","object":"file"}"""));
        using var temp = new TempDir();
        var transport = new OpenAiBatchTransport(server.BaseUrl, "sk-test", Http);
        var file = await OneLine(temp);

        var e = await Assert.ThrowsAsync<ProviderException>(async () =>
            await transport.CreateAsync(file, await transport.UploadAsync(file, 1, "lpp-a", TestContext.Current.CancellationToken), 1, "lpp-a", TestContext.Current.CancellationToken));

        Assert.Equal(ProviderErrorKind.Transient, e.Kind);
        Assert.Equal(message, e.Message);
    }

    [Fact]
    public async Task FindAsync_ListNamesTheBatchWithAnIdThatIsNotAnId_IsRefused()
    {
        await using var server = new LoopbackServer((_, _) => Reply.Json("""{"object":"list","data":[{"id":"../files/file-9","object":"batch","metadata":{"lpp_batch":"lpp-a"}}],"has_more":false}"""));
        var transport = new OpenAiBatchTransport(server.BaseUrl, "sk-test", Http);

        var e = await Assert.ThrowsAsync<ProviderException>(() => transport.FindAsync("lpp-a", null, DateTimeOffset.UnixEpoch, TestContext.Current.CancellationToken));

        Assert.Equal("the batch list names batch lpp-a with the id '../files/file-9', which is not an id", e.Message);
    }

    [Fact]
    public async Task DeleteFileAsync_DeletesOnce_ThenReportsTheFileGone()
    {
        // Given a file uploaded to the fake Files API
        await using var batch = new FakeBatchServer();
        using var temp = new TempDir();
        var transport = new OpenAiBatchTransport(batch.Server.BaseUrl, "sk-test", Http);
        var input = await transport.UploadAsync(await OneLine(temp), 1, "lpp-a", TestContext.Current.CancellationToken);

        // When it is deleted twice
        var first = await transport.DeleteFileAsync(input!, TestContext.Current.CancellationToken);
        var second = await transport.DeleteFileAsync(input!, TestContext.Current.CancellationToken);

        // Then the first deletes it (DELETE {base}/files/{id}) and the second finds it gone (404), neither an error
        Assert.True(first);
        Assert.False(second);
        Assert.Equal(["file-1"], batch.Deleted);
        Assert.All(batch.Server.Requests.Where(r => r.Method == "DELETE"), r => Assert.Equal("/v1/files/file-1", r.Path));
        Assert.True(transport.DeletesFiles);
    }

    [Fact]
    public async Task DeleteFileAsync_ServerError_IsAProviderError()
    {
        await using var batch = new FakeBatchServer { DeleteStatus = _ => 403 };
        using var temp = new TempDir();
        var transport = new OpenAiBatchTransport(batch.Server.BaseUrl, "sk-test", Http);
        var input = await transport.UploadAsync(await OneLine(temp), 1, "lpp-a", TestContext.Current.CancellationToken);

        var e = await Assert.ThrowsAsync<ProviderException>(() => transport.DeleteFileAsync(input!, TestContext.Current.CancellationToken));

        Assert.Equal("HTTP 403: storage unavailable", e.Message);
        Assert.Empty(batch.Deleted);
    }

    [Theory]
    [InlineData("sk-test-key-0001", "Bearer sk-test-key-0001")]
    [InlineData(null, null)]
    public async Task EveryCall_GoesThroughTheOpenAIPackage_WithTheKeyOrNoCredentialsAtAll(string? key, string? authorization)
    {
        // Given a whole batch cycle against the fake Batch API: upload, create, list, poll, download, delete
        await using var batch = new FakeBatchServer();
        using var temp = new TempDir();
        var transport = new OpenAiBatchTransport(batch.Server.BaseUrl, key, Http);
        var file = await OneLine(temp);
        var ct = TestContext.Current.CancellationToken;
        var id = await transport.CreateAsync(file, await transport.UploadAsync(file, 1, "lpp-a", ct), 1, "lpp-a", ct);
        Assert.Equal(id, await transport.FindAsync("lpp-a", null, batch.FakeClock, ct));
        BatchState state;
        do
        {
            state = await transport.PollAsync(id, ct);
        }
        while (state.Phase == BatchPhase.Running);

        var results = await transport.ResultsAsync(state, ct).ToListAsync(ct);
        await transport.DeleteFileAsync(state.OutputFile!, ct);

        // Then every request carried the package's User-Agent, and the key as a bearer token, or no Authorization header
        Assert.Equal("k", Assert.Single(results).Key);
        Assert.Equal(
            ["POST /v1/files", "POST /v1/batches", "GET /v1/batches?", "GET /v1/batches/batch_1", "GET /v1/files/file-out-batch_1/content", "DELETE /v1/files/file-out-batch_1"],
            batch.Server.Requests.Select(r => r.Method + " " + (r.Path.Contains('?', StringComparison.Ordinal) ? r.Path[..(r.Path.IndexOf('?', StringComparison.Ordinal) + 1)] : r.Path)).Distinct());
        Assert.All(batch.Server.Requests, r =>
        {
            Assert.StartsWith("OpenAI/", r.Headers["User-Agent"], StringComparison.Ordinal);
            Assert.Equal(authorization, r.Headers.TryGetValue("Authorization", out var value) ? value : null);
        });
    }

    [Fact]
    public async Task UploadAndCreate_SendTheDocumentedFormatByteForByte()
    {
        // Given a server that records the upload and the creation
        await using var batch = new FakeBatchServer();
        using var temp = new TempDir();
        var transport = new OpenAiBatchTransport(batch.Server.BaseUrl, "sk-test", Http);
        var file = await OneLine(temp);
        var line = await File.ReadAllTextAsync(file, TestContext.Current.CancellationToken);

        await transport.CreateAsync(file, await transport.UploadAsync(file, 1, "lpp-a", TestContext.Current.CancellationToken), 1, "lpp-a", TestContext.Current.CancellationToken);

        // Then the upload is one multipart form (purpose=batch, the file as application/jsonl, its bytes unchanged) sent
        // with its length, and the creation body is exactly the documented one with the batch's name in its metadata
        var requests = batch.Server.Requests.ToList();
        var upload = requests[0];
        Assert.StartsWith("multipart/form-data; boundary=", upload.Headers["Content-Type"], StringComparison.Ordinal);
        Assert.Equal(System.Text.Encoding.UTF8.GetByteCount(upload.Body).ToString(System.Globalization.CultureInfo.InvariantCulture), upload.Headers["Content-Length"]);
        var boundary = "--" + upload.Headers["Content-Type"]["multipart/form-data; boundary=".Length..].Trim('"');
        Assert.Equal(
            $"{boundary}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Disposition: form-data; name=purpose\r\n\r\nbatch\r\n"
            + $"{boundary}\r\nContent-Type: application/jsonl\r\nContent-Disposition: form-data; name=file; filename=b.jsonl; filename*=utf-8''b.jsonl\r\n\r\n{line}\r\n{boundary}--\r\n",
            upload.Body);
        Assert.Equal("""{"input_file_id":"file-1","endpoint":"/v1/chat/completions","completion_window":"24h","metadata":{"source":"lpp infer","requests":"1","lpp_batch":"lpp-a"}}""", requests[1].Body);
        Assert.Equal("application/json", requests[1].Headers["Content-Type"]);
    }

    [Fact]
    public async Task ResultsAsync_ConnectionDropsMidFile_YieldsTheLinesReceivedThenATransportError()
    {
        // Given an output file of 2,000 lines whose connection closes after half its bytes
        var lines = string.Concat(Enumerable.Range(0, 2000).Select(i => $$$"""{"id":"r{{{i}}}","custom_id":"k{{{i}}}","response":{"status_code":200,"body":{"n":{{{i}}}}},"error":null}""" + "\n"));
        await using var server = new LoopbackServer((_, _) => new Reply(200, lines) { Truncate = true });
        var transport = new OpenAiBatchTransport(server.BaseUrl, "sk-test", Http);
        var read = new List<BatchResult>();

        // When its results are read
        var e = await Assert.ThrowsAsync<ProviderException>(async () =>
        {
            await foreach (var result in transport.ResultsAsync(new BatchState { Status = "completed", Phase = BatchPhase.Completed, OutputFile = "file-out" }, TestContext.Current.CancellationToken))
            {
                read.Add(result);
            }
        });

        // Then the lines that arrived were read one by one as they came (a buffered download would have failed before
        // the first), in order, and the cut is a transient transport error naming the host
        Assert.InRange(read.Count, 1, 1999);
        Assert.Equal(Enumerable.Range(0, read.Count).Select(i => "k" + i), read.Select(r => r.Key));
        Assert.Equal(ProviderErrorKind.Transient, e.Kind);
        Assert.StartsWith("cannot reach 127.0.0.1: ", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateAsync_CreatedStatus_IsASuccess()
    {
        // Given a compatible server answering the creation 201 Created (the package expects 200)
        await using var server = new LoopbackServer((request, _) => request.Path.EndsWith("/batches", StringComparison.Ordinal)
            ? new Reply(201, """{"id":"batch_7","object":"batch","status":"validating"}""")
            : new Reply(404, "{}"));
        using var temp = new TempDir();
        var transport = new OpenAiBatchTransport(server.BaseUrl, null, Http);

        var id = await transport.CreateAsync(await OneLine(temp), "file-1", 1, "lpp-a", TestContext.Current.CancellationToken);

        // Then the batch it created is taken, not reported as refused (which would create it again)
        Assert.Equal("batch_7", id);
    }

    [Theory]
    [InlineData(429, ProviderErrorKind.Transient)]
    [InlineData(503, ProviderErrorKind.Transient)]
    [InlineData(400, ProviderErrorKind.Permanent)]
    public async Task CreateAndPoll_ErrorStatus_IsClassifiedWithTheServersMessageAndDelay(int status, ProviderErrorKind kind)
    {
        await using var server = new LoopbackServer((_, _) => new Reply(status, """{"error":{"message":"slow down"}}""") { Headers = new Dictionary<string, string> { ["Retry-After"] = "7" } });
        using var temp = new TempDir();
        var transport = new OpenAiBatchTransport(server.BaseUrl, "sk-test", Http);

        var create = await Assert.ThrowsAsync<ProviderException>(async () => await transport.CreateAsync(await OneLine(temp), "file-1", 1, "lpp-a", TestContext.Current.CancellationToken));
        var poll = await Assert.ThrowsAsync<ProviderException>(() => transport.PollAsync("batch_1", TestContext.Current.CancellationToken));

        Assert.All(new[] { create, poll }, e =>
        {
            Assert.Equal(kind, e.Kind);
            Assert.Equal($"HTTP {status}: slow down", e.Message);
            Assert.Equal(TimeSpan.FromSeconds(7), e.RetryAfter);
        });
    }

    [Fact]
    public async Task ResultsAsync_DownloadRefused_IsAProviderErrorWithTheMessage()
    {
        await using var server = new LoopbackServer((_, _) => new Reply(404, """{"error":{"message":"No such File object: file-out"}}"""));
        var transport = new OpenAiBatchTransport(server.BaseUrl, "sk-test", Http);

        var e = await Assert.ThrowsAsync<ProviderException>(async () =>
            await transport.ResultsAsync(new BatchState { Status = "completed", Phase = BatchPhase.Completed, OutputFile = "file-out" }, TestContext.Current.CancellationToken).ToListAsync(TestContext.Current.CancellationToken));

        Assert.Equal("HTTP 404: No such File object: file-out", e.Message);
        Assert.Equal(ProviderErrorKind.Permanent, e.Kind);
    }

    private static async Task<string> OneLine(TempDir temp)
    {
        var file = temp.File("b.jsonl");
        await File.WriteAllTextAsync(file, "{\"custom_id\":\"k\",\"method\":\"POST\",\"url\":\"/v1/chat/completions\",\"body\":{}}\n", TestContext.Current.CancellationToken);
        return file;
    }
}
