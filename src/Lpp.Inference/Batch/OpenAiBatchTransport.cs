using System.Globalization;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;

namespace Lpp.Inference;

/// <summary>
/// The OpenAI Batch API (and compatible servers with the same Files and Batches endpoints): requests uploaded as a
/// JSON Lines file (<c>POST {base}/files</c>, purpose <c>batch</c>), a batch created on it (<c>POST {base}/batches</c>,
/// window 24h), polled (<c>GET {base}/batches/{id}</c>), and its output and error files read line by line
/// (<c>GET {base}/files/{id}/content</c>), streamed both ways so memory does not grow with the batch.
/// </summary>
public sealed class OpenAiBatchTransport : IBatchTransport
{
    private const string NameKey = "lpp_batch";
    private const int MaxListPages = 100;
    private static readonly byte[] LineStart = "{\"custom_id\":\""u8.ToArray();
    private static readonly byte[] LineMiddle = "\",\"method\":\"POST\",\"url\":\"/v1/chat/completions\",\"body\":"u8.ToArray();
    private readonly HttpClient _http;
    private readonly Uri _base;
    private readonly string? _apiKey;
    private readonly TimeProvider _time;

    /// <summary>Creates the transport.</summary>
    public OpenAiBatchTransport(Uri? baseUrl, string? apiKey, HttpClient httpClient, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(httpClient);
        var url = (baseUrl ?? OpenAiProviderOptions.DefaultBaseUrl).AbsoluteUri;
        _base = new Uri(url.EndsWith('/') ? url : url + "/");
        _apiKey = apiKey;
        _http = httpClient;
        _time = time ?? TimeProvider.System;
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
        using var uploaded = await SendAsync(HttpMethod.Post, "files", form, cancellationToken).ConfigureAwait(false);
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
        using var batch = await SendAsync(HttpMethod.Post, "batches", new StringContent(create, Encoding.UTF8, "application/json"), cancellationToken).ConfigureAwait(false);
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
            using var _ = await SendAsync(HttpMethod.Delete, "files/" + Uri.EscapeDataString(fileId), null, cancellationToken).ConfigureAwait(false);
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
            using var doc = await SendAsync(HttpMethod.Get, "batches?limit=100" + (after is null ? string.Empty : "&after=" + Uri.EscapeDataString(after)), null, cancellationToken).ConfigureAwait(false);
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
        using var doc = await SendAsync(HttpMethod.Get, "batches/" + Uri.EscapeDataString(batchId), null, cancellationToken).ConfigureAwait(false);
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

            using var request = Request(HttpMethod.Get, "files/" + Uri.EscapeDataString(file) + "/content", null);
            HttpResponseMessage response;
            try
            {
                response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is HttpRequestException or IOException && !cancellationToken.IsCancellationRequested)
            {
                throw HttpErrors.Transport(e, _base, _apiKey);
            }

            using (response)
            {
                if (!response.IsSuccessStatusCode)
                {
                    var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
                    throw HttpErrors.Classify((int)response.StatusCode, body, null, _time, _apiKey);
                }

                await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
                using var reader = new StreamReader(stream, Encoding.UTF8);
                while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
                {
                    if (!string.IsNullOrWhiteSpace(line))
                    {
                        yield return ParseLine(line);
                    }
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

    private HttpRequestMessage Request(HttpMethod method, string path, HttpContent? content)
    {
        var request = new HttpRequestMessage(method, new Uri(_base, path)) { Content = content };
        if (!string.IsNullOrEmpty(_apiKey))
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _apiKey);
        }

        return request;
    }

    private async Task<JsonDocument> SendAsync(HttpMethod method, string path, HttpContent? content, CancellationToken cancellationToken)
    {
        using var request = Request(method, path, content);
        try
        {
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
            var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                var retryAfter = response.Headers.TryGetValues("Retry-After", out var values) ? values.FirstOrDefault() : null;
                throw HttpErrors.Classify((int)response.StatusCode, body, retryAfter, _time, _apiKey);
            }

            try
            {
                return JsonDocument.Parse(body);
            }
            catch (JsonException e)
            {
                throw new ProviderException(ProviderErrorKind.Transient, $"{path}: the answer is not JSON ({e.Message.Split(" Path:", 2)[0]})", inner: e);
            }
        }
        catch (Exception e) when (e is HttpRequestException or IOException && !cancellationToken.IsCancellationRequested)
        {
            throw HttpErrors.Transport(e, _base, _apiKey);
        }
    }
}
