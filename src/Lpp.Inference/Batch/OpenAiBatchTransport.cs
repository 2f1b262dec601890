using System.ClientModel;
using System.ClientModel.Primitives;
using System.Globalization;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using OpenAI;
using OpenAI.Batch;
using OpenAI.Files;

namespace Lpp.Inference;

/// <summary>
/// The OpenAI Batch API (and compatible servers with the same Files and Batches endpoints) through the official OpenAI
/// package: requests uploaded as a JSON Lines file (<c>POST {base}/files</c>, purpose <c>batch</c>), a batch created on
/// it (<c>POST {base}/batches</c>, window 24h), polled (<c>GET {base}/batches/{id}</c>), its output and error files read
/// line by line (<c>GET {base}/files/{id}/content</c>) and deleted (<c>DELETE {base}/files/{id}</c>). The package's
/// <see cref="OpenAIFileClient"/> and <see cref="BatchClient"/> send every request (its pipeline: authentication,
/// transport, no retries of its own: those belong to the runner) through their protocol methods, which take our bytes
/// and hand back the raw answer: the typed methods would parse answers into models that reject shapes compatible
/// servers send, and would read a whole results file into memory. So every answer is checked here, and both
/// directions are streamed (the upload from the file on disk, the download with <see cref="RequestOptions.BufferResponse"/>
/// off), so memory does not grow with the batch.
/// </summary>
public sealed class OpenAiBatchTransport : IBatchTransport
{
    private const string NameKey = "lpp_batch";
    private const int MaxListPages = 100;
    private static readonly byte[] LineStart = "{\"custom_id\":\""u8.ToArray();
    private static readonly byte[] LineMiddle = "\",\"method\":\"POST\",\"url\":\"/v1/chat/completions\",\"body\":"u8.ToArray();
    private readonly OpenAIFileClient _files;
#pragma warning disable OPENAI001 // BatchClient is marked experimental in OpenAI 2.15.0 (its shape may change); it is the package's only client of the Batch API, used here only through its protocol methods
    private readonly BatchClient _batches;
#pragma warning restore OPENAI001
    private readonly Uri _base;
    private readonly string? _apiKey;
    private readonly TimeProvider _time;

    /// <summary>Creates the transport; without <paramref name="apiKey"/> (a compatible server) no credentials are sent.</summary>
    public OpenAiBatchTransport(Uri? baseUrl, string? apiKey, HttpClient httpClient, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(httpClient);
        _base = baseUrl ?? OpenAiProviderOptions.DefaultBaseUrl;
        _apiKey = apiKey;
        _time = time ?? TimeProvider.System;
        var options = new OpenAIClientOptions
        {
            Endpoint = _base,
            Transport = new HttpClientPipelineTransport(httpClient),
            RetryPolicy = new ClientRetryPolicy(0),
            NetworkTimeout = Timeout.InfiniteTimeSpan,
        };
        if (string.IsNullOrEmpty(apiKey))
        {
            options.AddPolicy(new WithoutCredentials(), PipelinePosition.BeforeTransport);
        }

        // The package insists on a key; without one, the placeholder is taken off every request before it is sent.
        var client = new OpenAIClient(new ApiKeyCredential(string.IsNullOrEmpty(apiKey) ? "none" : apiKey), options);
        _files = client.GetOpenAIFileClient();
#pragma warning disable OPENAI001 // see _batches
        _batches = client.GetBatchClient();
#pragma warning restore OPENAI001
    }

    /// <inheritdoc />
    public int MaxRequests => 50_000;

    /// <inheritdoc />
    public long MaxBytes => 190_000_000;

    /// <inheritdoc />
    public int WriteRequest(Stream file, string key, string requestBody, bool first)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(requestBody);
        var body = Encoding.UTF8.GetBytes(requestBody);
        var keyBytes = Encoding.UTF8.GetBytes(key);
        file.Write(LineStart);
        file.Write(keyBytes);
        file.Write(LineMiddle);
        file.Write(body);
        file.Write("}\n"u8);
        return LineStart.Length + keyBytes.Length + LineMiddle.Length + body.Length + 2;
    }

    /// <inheritdoc />
    public async Task<string?> UploadAsync(string file, int requests, string name, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(name);
        await using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous);
        using var form = new MultipartFormDataContent();
        form.Add(new StringContent("batch"), "purpose");
        var content = new StreamContent(stream, 1 << 16);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/jsonl");
        form.Add(content, "file", Path.GetFileName(file));
        using var body = new StreamedForm(form);
        using var response = await SendAsync(options => _files.UploadFileAsync(body, form.Headers.ContentType!.ToString(), options), cancellationToken).ConfigureAwait(false);
        using var uploaded = Json(response, "files");
        return RequiredId(uploaded.RootElement, "file");
    }

    /// <inheritdoc />
    public async Task<string> CreateAsync(string file, string? inputFile, int requests, string name, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(inputFile);
        var create = new System.Text.Json.Nodes.JsonObject
        {
            ["input_file_id"] = inputFile,
            ["endpoint"] = "/v1/chat/completions",
            ["completion_window"] = "24h",
            ["metadata"] = new System.Text.Json.Nodes.JsonObject { ["source"] = "lpp infer", ["requests"] = requests.ToString(CultureInfo.InvariantCulture), [NameKey] = name },
        }.ToJsonString();
        PipelineResponse response;
        try
        {
            // The protocol method parses the answer itself (its id and status) before returning, and throws on an
            // error answer (with no-throw it would parse the error body and fail without it): errors are read from the
            // exception's response, and an answer it cannot parse is reported as such.
#pragma warning disable OPENAI001 // see _batches
            using var content = BinaryContent.Create(BinaryData.FromString(create));
            var operation = await _batches.CreateBatchAsync(content, waitUntilCompleted: false, new RequestOptions { CancellationToken = cancellationToken }).ConfigureAwait(false);
#pragma warning restore OPENAI001
            response = operation.GetRawResponse();
        }
        catch (ClientResultException e) when (e.GetRawResponse() is { Status: >= 200 and <= 299 } created)
        {
            response = created; // a success status other than the package's 200 (201 from some compatible servers)
        }
        catch (ClientResultException e) when (e.GetRawResponse() is { } refused)
        {
            throw Classify(refused);
        }
        catch (Exception e) when (e is ClientResultException or HttpRequestException or IOException && !cancellationToken.IsCancellationRequested)
        {
            throw HttpErrors.Transport(e, _base, _apiKey);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or ArgumentException)
        {
            throw new ProviderException(ProviderErrorKind.Transient, "the batch answer is not a batch (no id or no status)", inner: e);
        }

        using var batch = Json(response, "batches");
        return RequiredId(batch.RootElement, "batch");
    }

    /// <inheritdoc />
    public bool DeletesFiles => true;

    /// <inheritdoc />
    public async Task<bool> DeleteFileAsync(string fileId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(fileId);
        try
        {
            using var _ = await SendAsync(options => _files.DeleteFileAsync(fileId, options), cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (ProviderException e) when (e.StatusCode == 404)
        {
            return false;
        }
    }

    /// <inheritdoc />
    /// <remarks>Pages through <c>GET {base}/batches?limit=100&amp;after=...</c> (newest first) until a batch carries the name
    /// in <c>metadata.lpp_batch</c>, a batch older than <paramref name="since"/> less an hour shows up, or the list ends.</remarks>
    public async Task<string?> FindAsync(string name, string? inputFile, DateTimeOffset since, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(name);
        var oldest = (since - TimeSpan.FromHours(1)).ToUnixTimeSeconds();
        string? after = null;
        for (var page = 0; page < MaxListPages; page++)
        {
            using var response = await SendAsync(options => FirstPageAsync(after, options), cancellationToken).ConfigureAwait(false);
            using var doc = Json(response, "batches");
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Array)
            {
                throw new ProviderException(ProviderErrorKind.Transient, "the batch list has no data");
            }

            var older = false;
            foreach (var batch in data.EnumerateArray())
            {
                if (batch.ValueKind != JsonValueKind.Object || OptionalString(batch, "id") is not { } id)
                {
                    continue;
                }

                after = id;
                if ((batch.TryGetProperty("metadata", out var metadata) && metadata.ValueKind == JsonValueKind.Object && OptionalString(metadata, NameKey) == name)
                    || (inputFile is not null && OptionalString(batch, "input_file_id") == inputFile))
                {
                    return IsId(id) ? id : throw new ProviderException(ProviderErrorKind.Transient, $"the batch list names batch {name} with the id '{Cut(id)}', which is not an id");
                }

                older |= batch.TryGetProperty("created_at", out var created) && created.ValueKind == JsonValueKind.Number && created.TryGetInt64(out var t) && t < oldest;
            }

            if (older || after is null || !(root.TryGetProperty("has_more", out var more) && more.ValueKind == JsonValueKind.True))
            {
                return null;
            }
        }

        throw new ProviderException(ProviderErrorKind.Transient, $"no batch named {name} in the newest {MaxListPages * 100} batches, and the list goes on");
    }

    /// <inheritdoc />
    public async Task<BatchState> PollAsync(string batchId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(batchId);
#pragma warning disable OPENAI001 // see _batches
        using var response = await SendAsync(options => _batches.GetBatchAsync(batchId, options), cancellationToken).ConfigureAwait(false);
#pragma warning restore OPENAI001
        using var doc = Json(response, "batches/" + batchId);
        var root = doc.RootElement;
        var status = RequiredString(root, "status", "batch");
        var phase = status switch
        {
            "completed" => BatchPhase.Completed,
            "failed" => BatchPhase.Failed,
            "expired" => BatchPhase.Expired,
            "cancelled" => BatchPhase.Cancelled,
            "validating" or "in_progress" or "finalizing" or "cancelling" => BatchPhase.Running,
            _ => throw new ProviderException(ProviderErrorKind.Transient, $"batch {batchId}: unknown status '{status}'"),
        };
        long? completed = null, failed = null;
        if (root.TryGetProperty("request_counts", out var counts) && counts.ValueKind == JsonValueKind.Object)
        {
            completed = Count(counts, "completed");
            failed = Count(counts, "failed");
        }

        return new BatchState
        {
            Status = status,
            Phase = phase,
            Completed = completed,
            Failed = failed,
            Message = Errors(root),
            OutputFile = OptionalId(root, "output_file_id", batchId),
            ErrorFile = OptionalId(root, "error_file_id", batchId),
        };
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<BatchResult> ResultsAsync(BatchState state, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(state);
        foreach (var file in new[] { state.OutputFile, state.ErrorFile })
        {
            if (file is null)
            {
                continue;
            }

            // Unbuffered: the answer's stream is the connection itself, read a line at a time.
            using var response = await SendAsync(options => _files.DownloadFileAsync(file, options), cancellationToken, buffer: false).ConfigureAwait(false);
            var stream = response.ContentStream ?? throw new ProviderException(ProviderErrorKind.Transient, $"files/{file}/content: the answer has no body");
            using var reader = new StreamReader(stream, Encoding.UTF8);
            while (await ReadLineAsync(reader, cancellationToken).ConfigureAwait(false) is { } line)
            {
                if (!string.IsNullOrWhiteSpace(line))
                {
                    yield return ParseLine(line);
                }
            }
        }
    }

    /// <summary>One result line: <c>{"custom_id", "response": {"status_code", "body"}, "error": {"code", "message"}}</c>.</summary>
    internal static BatchResult ParseLine(string line)
    {
        try
        {
            using var doc = JsonDocument.Parse(line);
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return new BatchResult(null, null, null, "a result line is not a JSON object");
            }

            var key = OptionalString(root, "custom_id");
            if (key is null)
            {
                return new BatchResult(null, null, null, "a result line has no custom_id");
            }

            if (root.TryGetProperty("response", out var response) && response.ValueKind == JsonValueKind.Object)
            {
                int? status = response.TryGetProperty("status_code", out var code) && code.ValueKind == JsonValueKind.Number && code.TryGetInt32(out var c) ? c : null;
                var hasBody = response.TryGetProperty("body", out var body) && body.ValueKind == JsonValueKind.Object;
                if (status == 200 && hasBody)
                {
                    return new BatchResult(key, body.GetRawText(), 200, null);
                }

                var message = hasBody ? ErrorMessage(body) : null;
                return new BatchResult(key, null, status, $"HTTP {status?.ToString(CultureInfo.InvariantCulture) ?? "?"}: {message ?? "no answer body"}");
            }

            if (root.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object)
            {
                var code = OptionalString(error, "code");
                var message = OptionalString(error, "message");
                return new BatchResult(key, null, null, $"{code ?? "error"}: {message ?? "no message"}");
            }

            return new BatchResult(key, null, null, "a result line has neither response nor error");
        }
        catch (JsonException e)
        {
            return new BatchResult(null, null, null, $"a result line is not valid JSON ({e.Message.Split(" Path:", 2)[0]})");
        }
    }

    private static string? ErrorMessage(JsonElement body) =>
        body.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object ? OptionalString(error, "message") : null;

    private static string? Errors(JsonElement root)
    {
        if (!root.TryGetProperty("errors", out var errors) || errors.ValueKind != JsonValueKind.Object
            || !errors.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        var messages = data.EnumerateArray()
            .Select(e => e.ValueKind == JsonValueKind.Object ? $"{OptionalString(e, "code") ?? "error"}: {OptionalString(e, "message") ?? string.Empty}" : null)
            .OfType<string>()
            .Take(5)
            .ToList();
        return messages.Count == 0 ? null : string.Join("; ", messages);
    }

    private static long? Count(JsonElement counts, string name) =>
        counts.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var n) && n >= 0 ? n : null;

    private static string? OptionalString(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    /// <summary>
    /// True for an id the server may hand back and that is then put in a URL path: 1-256 characters, ASCII letters,
    /// digits and <c>- _ . : = + ~</c>, at least one letter or digit (so never <c>.</c> or <c>..</c>).
    /// </summary>
    internal static bool IsId(string id) =>
        id.Length is > 0 and <= 256
        && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or ':' or '=' or '+' or '~')
        && id.Any(char.IsAsciiLetterOrDigit);

    private static string Cut(string text) => text.Length <= 80 ? text : text[..80] + "...";

    private static string RequiredId(JsonElement root, string what)
    {
        var id = RequiredString(root, "id", what);
        return IsId(id) ? id : throw new ProviderException(ProviderErrorKind.Transient, $"the {what} answer's id '{Cut(id)}' is not an id");
    }

    private static string? OptionalId(JsonElement root, string name, string batchId) =>
        OptionalString(root, name) is not { } id ? null
        : IsId(id) ? id
        : throw new ProviderException(ProviderErrorKind.Transient, $"batch {batchId}: the {name} '{Cut(id)}' is not an id");

    private static string RequiredString(JsonElement element, string name, string what) =>
        (element.ValueKind == JsonValueKind.Object ? OptionalString(element, name) : null)
        ?? throw new ProviderException(ProviderErrorKind.Transient, $"the {what} answer has no {name}");

    /// <summary>A line of a download, a dropped connection reported as a transport error like any other.</summary>
    private async Task<string?> ReadLineAsync(StreamReader reader, CancellationToken cancellationToken)
    {
        try
        {
            return await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is HttpRequestException or IOException && !cancellationToken.IsCancellationRequested)
        {
            throw HttpErrors.Transport(e, _base, _apiKey);
        }
    }

    /// <summary>The first page of the batch list after <paramref name="after"/> (the package's pager follows <c>last_id</c>, which compatible servers may not send: the pages are followed here).</summary>
    private async Task<ClientResult> FirstPageAsync(string? after, RequestOptions options)
    {
#pragma warning disable OPENAI001 // see _batches
        await foreach (var page in _batches.GetBatchesAsync(after, 100, options).GetRawPagesAsync().ConfigureAwait(false))
#pragma warning restore OPENAI001
        {
            return page;
        }

        throw new ProviderException(ProviderErrorKind.Transient, "the batch list gave no page");
    }

    /// <summary>
    /// Calls a protocol method without letting it throw on an error status, and returns its answer when it is a
    /// success; otherwise the error, classified as every provider's (status, message, <c>Retry-After</c>). With
    /// <paramref name="buffer"/> false the answer's body is left on the connection for the caller to stream.
    /// </summary>
    private async Task<PipelineResponse> SendAsync(Func<RequestOptions, Task<ClientResult>> call, CancellationToken cancellationToken, bool buffer = true)
    {
        PipelineResponse response;
        try
        {
            var options = new RequestOptions { ErrorOptions = ClientErrorBehaviors.NoThrow, BufferResponse = buffer, CancellationToken = cancellationToken };
            response = (await call(options).ConfigureAwait(false)).GetRawResponse();
        }
        catch (Exception e) when (e is ClientResultException or HttpRequestException or IOException && !cancellationToken.IsCancellationRequested)
        {
            throw HttpErrors.Transport(e, _base, _apiKey);
        }

        if (response.Status is >= 200 and <= 299)
        {
            return response;
        }

        using (response)
        {
            if (!buffer)
            {
                await response.BufferContentAsync(cancellationToken).ConfigureAwait(false);
            }

            throw Classify(response);
        }
    }

    private ProviderException Classify(PipelineResponse response)
    {
        response.Headers.TryGetValue("Retry-After", out var retryAfter);
        return HttpErrors.Classify(response.Status, response.Content.ToString(), retryAfter, _time, _apiKey);
    }

    private static JsonDocument Json(PipelineResponse response, string path)
    {
        try
        {
            return JsonDocument.Parse(response.Content);
        }
        catch (JsonException e)
        {
            throw new ProviderException(ProviderErrorKind.Transient, $"{path}: the answer is not JSON ({e.Message.Split(" Path:", 2)[0]})", inner: e);
        }
    }

    /// <summary>No credentials, for compatible servers that need no key: the <c>Authorization</c> header is removed.</summary>
    private sealed class WithoutCredentials : PipelinePolicy
    {
        public override void Process(PipelineMessage message, IReadOnlyList<PipelinePolicy> pipeline, int currentIndex)
        {
            message.Request.Headers.Remove("Authorization");
            ProcessNext(message, pipeline, currentIndex);
        }

        public override ValueTask ProcessAsync(PipelineMessage message, IReadOnlyList<PipelinePolicy> pipeline, int currentIndex)
        {
            message.Request.Headers.Remove("Authorization");
            return ProcessNextAsync(message, pipeline, currentIndex);
        }
    }

    /// <summary>
    /// A multipart form as the package's request body: written straight from its parts (the batch file is read from
    /// disk as it is sent), with its length known beforehand so it goes with a <c>Content-Length</c>, as before.
    /// </summary>
    private sealed class StreamedForm(MultipartFormDataContent form) : BinaryContent
    {
        public override bool TryComputeLength(out long length)
        {
            length = form.Headers.ContentLength ?? 0;
            return form.Headers.ContentLength.HasValue;
        }

        public override void WriteTo(Stream stream, CancellationToken cancellationToken) => form.CopyTo(stream, null, cancellationToken);

        public override Task WriteToAsync(Stream stream, CancellationToken cancellationToken) => form.CopyToAsync(stream, cancellationToken);

        public override void Dispose()
        {
            // The form belongs to the caller.
        }
    }
}
