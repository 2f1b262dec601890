using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;

namespace Lpp.Inference;

/// <summary>
/// The Gemini Batch API with inline requests: <c>POST {base}/models/{model}:batchGenerateContent</c> with
/// <c>{"batch": {"display_name", "input_config": {"requests": {"requests": [{"request", "metadata": {"key"}}]}}}}</c>
/// (the body streamed from the batch file, at most about 20 MB), polled at <c>GET {base}/{batches/id}</c> until
/// <c>metadata.state</c> is terminal (<c>BATCH_STATE_*</c> or the older <c>JOB_STATE_*</c>); the answers come inline in
/// <c>response.inlinedResponses.inlinedResponses[]</c>, each matched by its <c>metadata.key</c>. Requests are sent by the
/// same <see cref="GeminiHttp"/> client as the synchronous provider, and the lines carry <see cref="GeminiChatCodec"/>
/// bodies.
/// </summary>
public sealed class GeminiBatchTransport : IBatchTransport
{
    private const int MaxListPages = 100;
    private static readonly byte[] LineStart = "{\"request\":"u8.ToArray();
    private static readonly byte[] LineMiddle = ",\"metadata\":{\"key\":\""u8.ToArray();
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

    /// <inheritdoc />
    public long MaxBytes => 19_000_000;

    /// <inheritdoc />
    public int WriteRequest(Stream file, string key, string requestBody, bool first)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(requestBody);
        var body = Encoding.UTF8.GetBytes(requestBody);
        var keyBytes = Encoding.UTF8.GetBytes(key);
        if (!first)
        {
            file.WriteByte((byte)',');
        }

        file.Write(LineStart);
        file.Write(body);
        file.Write(LineMiddle);
        file.Write(keyBytes);
        file.Write("\"}}\n"u8);
        return (first ? 0 : 1) + LineStart.Length + body.Length + LineMiddle.Length + keyBytes.Length + 4;
    }

    /// <inheritdoc />
    public async Task<string> SubmitAsync(string file, int requests, string name, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(name);
        await using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous);
        var content = new WrappedFileContent(
            Encoding.UTF8.GetBytes("{\"batch\":{\"display_name\":" + JsonSerializer.Serialize(name) + ",\"input_config\":{\"requests\":{\"requests\":["),
            stream,
            "]}}}}"u8.ToArray());
        using var operation = await SendAsync(HttpMethod.Post, $"models/{Uri.EscapeDataString(_options.Model)}:batchGenerateContent", content, cancellationToken).ConfigureAwait(false);
        var id = operation.RootElement.ValueKind == JsonValueKind.Object && operation.RootElement.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString() : null;
        return IsBatchName(id) ? id! : throw new ProviderException(ProviderErrorKind.Transient, "the batch answer has no name batches/{id}");
    }

    /// <inheritdoc />
    /// <remarks>Pages through <c>GET {base}/batches?pageSize=100&amp;pageToken=...</c> until an operation's
    /// <c>metadata.displayName</c> is the name, or the list ends.</remarks>
    public async Task<string?> FindAsync(string name, DateTimeOffset since, CancellationToken cancellationToken)
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

        return new BatchState { Status = state!, Phase = phase, Message = message, Inline = inline ?? [] };
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<BatchResult> ResultsAsync(BatchState state, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(state);
        await Task.CompletedTask.ConfigureAwait(false);
        foreach (var result in state.Inline ?? [])
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return result;
        }
    }

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

        if (key is null)
        {
            return new BatchResult(null, null, null, "an inline response has no metadata.key");
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

    /// <summary>A request body streamed from a prefix, a file and a suffix, with its length known.</summary>
    private sealed class WrappedFileContent : HttpContent
    {
        private readonly byte[] _prefix;
        private readonly Stream _file;
        private readonly byte[] _suffix;

        public WrappedFileContent(byte[] prefix, Stream file, byte[] suffix)
        {
            _prefix = prefix;
            _file = file;
            _suffix = suffix;
            Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        }

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            await stream.WriteAsync(_prefix).ConfigureAwait(false);
            _file.Position = 0;
            await _file.CopyToAsync(stream).ConfigureAwait(false);
            await stream.WriteAsync(_suffix).ConfigureAwait(false);
        }

        protected override bool TryComputeLength(out long length)
        {
            length = _prefix.Length + _file.Length + _suffix.Length;
            return true;
        }
    }
}
