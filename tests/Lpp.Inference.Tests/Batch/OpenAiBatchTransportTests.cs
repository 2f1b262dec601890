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
    [InlineData("batches", """{"id":"..","object":"batch"}""", "the batch answer's id '..' is not an id")]
    [InlineData("batches", """{"object":"batch"}""", "the batch answer has no id")]
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

    private static async Task<string> OneLine(TempDir temp)
    {
        var file = temp.File("b.jsonl");
        await File.WriteAllTextAsync(file, "{\"custom_id\":\"k\",\"method\":\"POST\",\"url\":\"/v1/chat/completions\",\"body\":{}}\n", TestContext.Current.CancellationToken);
        return file;
    }
}
