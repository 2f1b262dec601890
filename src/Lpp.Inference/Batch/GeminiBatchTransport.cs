using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;

namespace Lpp.Inference;

/// <summary>
/// The Gemini Batch API. The batch file is JSON Lines, <c>{"key", "request"}</c> a line. A file that fits the inline
/// limit (about 20 MB) is sent inline: <c>POST {base}/models/{model}:batchGenerateContent</c> with
/// <c>{"batch": {"display_name", "input_config": {"requests": {"requests": [{"request", "metadata": {"key"}}]}}}}</c>,
/// each line rewritten while it is streamed; a larger one is uploaded with the File API (resumable protocol, to
/// <c>{host}/upload/{version}/files</c>) and named in <c>"input_config": {"file_name": "files/..."}</c>. Either is
/// polled at <c>GET {base}/{batches/id}</c> until <c>metadata.state</c> is terminal (<c>BATCH_STATE_*</c> or the older
/// <c>JOB_STATE_*</c>); the answers come inline in <c>response.inlinedResponses.inlinedResponses[]</c> (each matched
/// by its <c>metadata.key</c>) or in the JSON Lines file <c>response.responsesFile</c>, streamed from
/// <c>{host}/download/{version}/{file}:download?alt=media</c> (each matched by its <c>key</c>). Vertex AI batches read
/// from Cloud Storage, which this client does not write: there, batches are kept under the inline limit. Requests are sent by the
/// same <see cref="GeminiHttp"/> client as the synchronous provider, and the lines carry <see cref="GeminiChatCodec"/>
/// bodies.
/// </summary>
public sealed class GeminiBatchTransport : IBatchTransport
{
    private const int MaxListPages = 100;
    private static readonly byte[] FileStart = "{\"key\":\""u8.ToArray();
    private static readonly byte[] FileMiddle = "\",\"request\":"u8.ToArray();
    private static readonly byte[] FileEnd = "}\n"u8.ToArray();
    private static readonly byte[] InlineStart = "{\"request\":"u8.ToArray();
    private static readonly byte[] InlineMiddle = ",\"metadata\":{\"key\":\""u8.ToArray();
    private static readonly byte[] InlineEnd = "\"}}"u8.ToArray();
    private readonly GeminiProviderOptions _options;
    private readonly GeminiHttp _client;
    private readonly Uri _base;

    /// <summary>Creates the transport.</summary>
    public GeminiBatchTransport(GeminiProviderOptions options, HttpClient httpClient, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(httpClient);
        _options = options;
        _client = new GeminiHttp(options, httpClient, time);
        _base = _client.Base;
    }

    /// <inheritdoc />
    public int MaxRequests => 50_000;

    /// <summary>The most bytes sent inline (above, the file goes through the File API).</summary>
    /// <value>19,000,000 (the documented inline limit is about 20 MB).</value>
    public long MaxInlineBytes { get; init; } = 19_000_000;

    /// <inheritdoc />
    /// <value>1.9 GB for the Gemini API (the File API takes 2 GB a file); the inline limit for Vertex AI.</value>
    public long MaxBytes => _options.IsVertex ? MaxInlineBytes : 1_900_000_000;

    /// <inheritdoc />
    public int WriteRequest(Stream file, string key, string requestBody, bool first)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(requestBody);
        var body = Encoding.UTF8.GetBytes(requestBody);
        var keyBytes = Encoding.UTF8.GetBytes(key);
        file.Write(FileStart);
        file.Write(keyBytes);
        file.Write(FileMiddle);
        file.Write(body);
        file.Write(FileEnd);
        return FileStart.Length + keyBytes.Length + FileMiddle.Length + body.Length + FileEnd.Length;
    }

    /// <inheritdoc />
    /// <remarks>A file that fits the inline limit is not uploaded (null): <see cref="CreateAsync"/> streams it inline.</remarks>
    public async Task<string?> UploadAsync(string file, int requests, string name, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(name);
        await using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous);
        var inlineLength = InlineContent.Length(stream.Length, requests);
        if (inlineLength <= MaxInlineBytes)
        {
            return null;
        }

        if (_options.IsVertex)
        {
            throw new ProviderException(ProviderErrorKind.Permanent, $"a batch of {inlineLength} bytes is over the inline limit, and Vertex AI batches read from Cloud Storage, which lpp does not write: lower --batch-size");
        }

        return await UploadFileAsync(stream, name, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<string> CreateAsync(string file, string? inputFile, int requests, string name, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(name);
        var prefix = Encoding.UTF8.GetBytes("{\"batch\":{\"display_name\":" + System.Text.Json.Nodes.JsonValue.Create(name).ToJsonString() + ",\"input_config\":");
        FileStream? stream = null;
        try
        {
            HttpContent content;
            if (inputFile is null)
            {
                stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous);
                content = new InlineContent(prefix, stream, InlineContent.Length(stream.Length, requests));
            }
            else
            {
                content = IsFileName(inputFile)
                    ? new StringContent(Encoding.UTF8.GetString(prefix) + "{\"file_name\":" + System.Text.Json.Nodes.JsonValue.Create(inputFile).ToJsonString() + "}}}", Encoding.UTF8, "application/json")
                    : throw new ArgumentException($"'{inputFile}' is not a files/ name", nameof(inputFile));
            }

            using var operation = await SendAsync(HttpMethod.Post, $"models/{Uri.EscapeDataString(_options.Model)}:batchGenerateContent", content, cancellationToken).ConfigureAwait(false);
            var id = operation.RootElement.ValueKind == JsonValueKind.Object && operation.RootElement.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString() : null;
            return IsBatchName(id) ? id! : throw new ProviderException(ProviderErrorKind.Transient, "the batch answer has no name batches/{id}");
        }
        finally
        {
            if (stream is not null)
            {
                await stream.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    /// <inheritdoc />
    /// <value>False: PROVIDERS.md documents no call that deletes a Gemini file, so none is invented.</value>
    public bool DeletesFiles => false;

    /// <inheritdoc />
    public Task<bool> DeleteFileAsync(string fileId, CancellationToken cancellationToken) =>
        throw new NotSupportedException("the Gemini batch interface documents no file deletion");

    /// <inheritdoc />
    /// <remarks>Pages through <c>GET {base}/batches?pageSize=100&amp;pageToken=...</c> until an operation's
    /// <c>metadata.displayName</c> is the name, or the list ends.</remarks>
    public async Task<string?> FindAsync(string name, string? inputFile, DateTimeOffset since, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(name);
        string? token = null;
        for (var page = 0; page < MaxListPages; page++)
        {
            using var doc = await SendAsync(HttpMethod.Get, "batches?pageSize=100" + (token is null ? string.Empty : "&pageToken=" + Uri.EscapeDataString(token)), null, cancellationToken).ConfigureAwait(false);
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new ProviderException(ProviderErrorKind.Transient, "the batch list is not a JSON object");
            }

            foreach (var list in new[] { "operations", "batches" })
            {
                if (!root.TryGetProperty(list, out var entries) || entries.ValueKind != JsonValueKind.Array)
                {
                    continue;
                }

                foreach (var entry in entries.EnumerateArray())
                {
                    if (entry.ValueKind == JsonValueKind.Object && String(entry, "name") is { } id && IsBatchName(id)
                        && (DisplayName(entry) == name || (entry.TryGetProperty("metadata", out var metadata) && metadata.ValueKind == JsonValueKind.Object && DisplayName(metadata) == name)))
                    {
                        return id;
                    }
                }
            }

            token = String(root, "nextPageToken");
            if (string.IsNullOrEmpty(token))
            {
                return null;
            }
        }

        throw new ProviderException(ProviderErrorKind.Transient, $"no batch named {name} in the first {MaxListPages * 100} batches, and the list goes on");
    }

    /// <inheritdoc />
    public async Task<BatchState> PollAsync(string batchId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batchId);
        using var doc = await SendAsync(HttpMethod.Get, batchId, null, cancellationToken).ConfigureAwait(false);
        var root = doc.RootElement;
        string? state = null;
        if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("metadata", out var metadata) && metadata.ValueKind == JsonValueKind.Object
            && metadata.TryGetProperty("state", out var s) && s.ValueKind == JsonValueKind.String)
        {
            state = s.GetString();
        }

        state ??= root.ValueKind == JsonValueKind.Object && root.TryGetProperty("state", out var top) && top.ValueKind == JsonValueKind.String ? top.GetString() : null;
        var suffix = state is null ? null : state.StartsWith("BATCH_STATE_", StringComparison.Ordinal) ? state[12..] : state.StartsWith("JOB_STATE_", StringComparison.Ordinal) ? state[10..] : null;
        var phase = suffix switch
        {
            "PENDING" or "RUNNING" or "QUEUED" or "UNSPECIFIED" => BatchPhase.Running,
            "SUCCEEDED" => BatchPhase.Completed,
            "FAILED" => BatchPhase.Failed,
            "EXPIRED" => BatchPhase.Expired,
            "CANCELLED" => BatchPhase.Cancelled,
            _ => throw new ProviderException(ProviderErrorKind.Transient, $"batch {batchId}: unknown state '{state ?? "(none)"}'"),
        };
        List<BatchResult>? inline = null;
        if (phase != BatchPhase.Running && root.TryGetProperty("response", out var response) && response.ValueKind == JsonValueKind.Object
            && response.TryGetProperty("inlinedResponses", out var outer) && outer.ValueKind == JsonValueKind.Object
            && outer.TryGetProperty("inlinedResponses", out var list) && list.ValueKind == JsonValueKind.Array)
        {
            inline = [.. list.EnumerateArray().Select(Result)];
        }

        string? message = null;
        if (root.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object && error.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String)
        {
            message = m.GetString();
        }

        string? responses = null;
        if (phase != BatchPhase.Running && root.TryGetProperty("response", out var answer) && answer.ValueKind == JsonValueKind.Object
            && String(answer, "responsesFile") is { } file)
        {
            responses = IsFileName(file) ? file : throw new ProviderException(ProviderErrorKind.Transient, $"batch {batchId}: the results file '{file}' is not a files/ name");
        }

        return new BatchState { Status = state!, Phase = phase, Message = message, Inline = inline ?? [], OutputFile = responses };
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<BatchResult> ResultsAsync(BatchState state, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(state);
        foreach (var result in state.Inline ?? [])
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return result;
        }

        if (state.OutputFile is not { } file)
        {
            yield break;
        }

        using var response = await _client.GetStreamAsync(Service("download", file + ":download?alt=media"), cancellationToken).ConfigureAwait(false);
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
        {
            if (!string.IsNullOrWhiteSpace(line))
            {
                yield return ResultLine(line);
            }
        }
    }

    /// <summary>One line of a results file: <c>{"key", "response"}</c> or <c>{"key", "error"}</c>.</summary>
    internal static BatchResult ResultLine(string line)
    {
        try
        {
            using var doc = JsonDocument.Parse(line);
            return Result(doc.RootElement);
        }
        catch (JsonException e)
        {
            return new BatchResult(null, null, null, $"a result line is not valid JSON ({e.Message.Split(" Path:", 2)[0]})");
        }
    }

    private static bool IsFileName(string name) =>
        name.StartsWith("files/", StringComparison.Ordinal) && name.Length > 6 && name[6..].All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');

    private static bool IsBatchName(string? id) => id is not null && id.StartsWith("batches/", StringComparison.Ordinal) && id.Length > 8 && !id.Contains("..", StringComparison.Ordinal);

    private static string? String(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static string? DisplayName(JsonElement element) => String(element, "displayName") ?? String(element, "display_name");

    /// <summary>One inline answer: <c>{"response": {...}, "metadata": {"key"}}</c> or <c>{"error": {"code", "message"}, "metadata": {"key"}}</c>.</summary>
    internal static BatchResult Result(JsonElement entry)
    {
        if (entry.ValueKind != JsonValueKind.Object)
        {
            return new BatchResult(null, null, null, "an inline response is not a JSON object");
        }

        string? key = null;
        if (entry.TryGetProperty("metadata", out var metadata) && metadata.ValueKind == JsonValueKind.Object
            && metadata.TryGetProperty("key", out var k) && k.ValueKind == JsonValueKind.String)
        {
            key = k.GetString();
        }

        key ??= String(entry, "key");
        if (key is null)
        {
            return new BatchResult(null, null, null, "a response has no key (metadata.key inline, key in a file)");
        }

        if (entry.TryGetProperty("response", out var response) && response.ValueKind == JsonValueKind.Object)
        {
            return new BatchResult(key, response.GetRawText(), 200, null);
        }

        if (entry.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object)
        {
            int? code = error.TryGetProperty("code", out var c) && c.ValueKind == JsonValueKind.Number && c.TryGetInt32(out var ci) ? ci : null;
            var message = error.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() : null;
            return new BatchResult(key, null, code, $"{(code is { } n ? "HTTP " + n.ToString(CultureInfo.InvariantCulture) : "error")}: {message ?? "no message"}");
        }

        return new BatchResult(key, null, null, "an inline response has neither response nor error");
    }

    private async Task<JsonDocument> SendAsync(HttpMethod method, string path, HttpContent? content, CancellationToken cancellationToken)
    {
        var body = await _client.SendAsync(method, new Uri(_base, path), content, cancellationToken).ConfigureAwait(false);
        try
        {
            return JsonDocument.Parse(body);
        }
        catch (JsonException e)
        {
            throw new ProviderException(ProviderErrorKind.Transient, $"{path}: the answer is not JSON ({e.Message.Split(" Path:", 2)[0]})", inner: e);
        }
    }

    /// <summary>
    /// A URL of the upload or download service beside the API: <c>{base}</c> is <c>{host}{prefix}/{version}/</c>, the
    /// service is <c>{host}{prefix}/{service}/{version}/{path}</c> (the Gemini API's <c>/upload/v1beta/files</c>).
    /// </summary>
    private Uri Service(string service, string path)
    {
        var basePath = _base.AbsolutePath.TrimEnd('/');
        var slash = basePath.LastIndexOf('/');
        return new Uri(_base, $"{basePath[..slash]}/{service}/{basePath[(slash + 1)..]}/{path}");
    }

    /// <summary>
    /// Uploads the batch file with the File API's resumable protocol (start, then upload and finalize in one request)
    /// and returns its name <c>files/...</c>. The upload URL the server hands back is used only on the API's own host.
    /// </summary>
    private async Task<string> UploadFileAsync(FileStream file, string name, CancellationToken cancellationToken)
    {
        var start = new Dictionary<string, string>
        {
            ["X-Goog-Upload-Protocol"] = "resumable",
            ["X-Goog-Upload-Command"] = "start",
            ["X-Goog-Upload-Header-Content-Length"] = file.Length.ToString(CultureInfo.InvariantCulture),
            ["X-Goog-Upload-Header-Content-Type"] = "application/jsonl",
        };
        var metadata = new StringContent("{\"file\":{\"display_name\":" + System.Text.Json.Nodes.JsonValue.Create(name).ToJsonString() + "}}", Encoding.UTF8, "application/json");
        var (_, location) = await _client.SendAsync(HttpMethod.Post, Service("upload", "files"), metadata, start, "X-Goog-Upload-URL", cancellationToken).ConfigureAwait(false);
        if (location is null || !Uri.TryCreate(location, UriKind.Absolute, out var uploadUrl))
        {
            throw new ProviderException(ProviderErrorKind.Transient, "the File API gave no upload URL");
        }

        if (!_client.SameOrigin(uploadUrl))
        {
            throw new ProviderException(ProviderErrorKind.Permanent, $"the File API's upload URL is on another host ({uploadUrl.Host}); the file and the key are not sent there");
        }

        file.Position = 0;
        var body = new StreamContent(file, 1 << 16);
        body.Headers.ContentType = new MediaTypeHeaderValue("application/jsonl");
        var upload = new Dictionary<string, string> { ["X-Goog-Upload-Offset"] = "0", ["X-Goog-Upload-Command"] = "upload, finalize" };
        var (answer, _) = await _client.SendAsync(HttpMethod.Post, uploadUrl, body, upload, null, cancellationToken).ConfigureAwait(false);
        string? uploaded = null;
        try
        {
            using var doc = JsonDocument.Parse(answer);
            if (doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("file", out var f) && f.ValueKind == JsonValueKind.Object)
            {
                uploaded = String(f, "name");
            }
        }
        catch (JsonException)
        {
        }

        return uploaded is not null && IsFileName(uploaded) ? uploaded : throw new ProviderException(ProviderErrorKind.Transient, "the File API's answer has no file name files/...");
    }

    /// <summary>
    /// The inline batch body streamed from the JSON Lines batch file: a prefix, each line <c>{"key":K,"request":B}</c>
    /// rewritten as <c>{"request":B,"metadata":{"key":K}}</c> (comma-separated), and the closing brackets; its length
    /// is known from the file's (each line grows by the same number of bytes).
    /// </summary>
    private sealed class InlineContent : HttpContent
    {
        private static readonly byte[] Open = "{\"requests\":{\"requests\":["u8.ToArray();
        private static readonly byte[] Close = "]}}}}"u8.ToArray();
        private readonly byte[] _prefix;
        private readonly Stream _file;
        private readonly long _length;

        public InlineContent(byte[] prefix, Stream file, long length)
        {
            _prefix = prefix;
            _file = file;
            _length = length;
            Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        }

        /// <summary>The length of the <c>input_config</c> value and the closing brackets for a file of <paramref name="fileBytes"/> and <paramref name="requests"/> lines.</summary>
        public static long Length(long fileBytes, int requests)
        {
            var growth = (InlineStart.Length + InlineMiddle.Length + InlineEnd.Length) - (FileStart.Length + FileMiddle.Length + FileEnd.Length);
            return Open.Length + fileBytes + ((long)requests * growth) + Math.Max(requests - 1, 0) + Close.Length;
        }

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            await stream.WriteAsync(_prefix).ConfigureAwait(false);
            await stream.WriteAsync(Open).ConfigureAwait(false);
            _file.Position = 0;
            using var reader = new StreamReader(_file, Encoding.UTF8, false, 1 << 16, leaveOpen: true);
            var first = true;
            while (await reader.ReadLineAsync().ConfigureAwait(false) is { } line)
            {
                // {"key":"K","request":B} -> {"request":B,"metadata":{"key":"K"}}
                var keyEnd = line.IndexOf('"', FileStart.Length);
                var key = line[FileStart.Length..keyEnd];
                var body = line[(keyEnd + FileMiddle.Length)..^1];
                if (!first)
                {
                    await stream.WriteAsync(","u8.ToArray()).ConfigureAwait(false);
                }

                first = false;
                await stream.WriteAsync(InlineStart).ConfigureAwait(false);
                await stream.WriteAsync(Encoding.UTF8.GetBytes(body)).ConfigureAwait(false);
                await stream.WriteAsync(InlineMiddle).ConfigureAwait(false);
                await stream.WriteAsync(Encoding.UTF8.GetBytes(key)).ConfigureAwait(false);
                await stream.WriteAsync(InlineEnd).ConfigureAwait(false);
            }

            await stream.WriteAsync(Close).ConfigureAwait(false);
        }

        protected override bool TryComputeLength(out long length)
        {
            length = _prefix.Length + _length;
            return true;
        }
    }
}
