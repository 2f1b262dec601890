using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Lpp.Inference.Tests;

/// <summary>
/// A loopback OpenAI Batch API (Files and Batches endpoints, PROVIDERS.md "Batch interfaces") that also answers
/// synchronous chat completions. Each batch walks through <c>validating</c>, <c>in_progress</c>, <c>finalizing</c>
/// and then the terminal status the test chooses; its output lines come in reverse order (never by position). Files
/// can be deleted (<c>DELETE /files/{id}</c>), and the batch list can lag behind the batches created.
/// </summary>
public sealed class FakeBatchServer : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, string> _files = new();
    private readonly ConcurrentDictionary<string, FakeBatch> _batches = new();
    private readonly ConcurrentQueue<string> _deleted = new();
    private int _next;
    private int _loseCreateAnswers;
    private int _listLag;

    public FakeBatchServer()
    {
        Server = new LoopbackServer(Handle);
    }

    public LoopbackServer Server { get; }

    /// <summary>The answer body of a request (its custom_id and chat body), or null for a per-request error line.</summary>
    public Func<string, JsonElement, string?> Answer { get; set; } = (_, _) => Bodies.OpenAi(Bodies.Direct1);

    /// <summary>The terminal status of the n-th batch (1-based) and how many of its requests get an answer.</summary>
    public Func<int, int, (string Status, int Answered)> Outcome { get; set; } = (_, total) => ("completed", total);

    /// <summary>How many batch creations succeed but answer 503 (the answer lost on the way back).</summary>
    public int LoseCreateAnswers { get => _loseCreateAnswers; set => _loseCreateAnswers = value; }

    /// <summary>When true, the list shows no metadata (a compatible server that does not keep it).</summary>
    public bool DropMetadata { get; set; }

    /// <summary>How many list requests from now on answer an empty list (a list lagging behind the batches created).</summary>
    public int ListLag { get => _listLag; set => _listLag = value; }

    /// <summary>The status a file deletion answers (200: deleted), by file id.</summary>
    public Func<string, int> DeleteStatus { get; set; } = _ => 200;

    /// <summary>Called with the file id when a deletion arrives, before it is answered.</summary>
    public Action<string> OnDelete { get; set; } = _ => { };

    /// <summary>The files deleted, in order.</summary>
    public IReadOnlyList<string> Deleted => [.. _deleted];

    /// <summary>Every deletion asked for (answered 200 or not), in order.</summary>
    public IReadOnlyList<string> DeleteRequests => [.. Server.Requests.Where(r => r.Method == "DELETE").Select(r => r.Path[(r.Path.LastIndexOf('/') + 1)..])];

    /// <summary>When true, every output file repeats its first line at the end (a second result for one request).</summary>
    public bool RepeatFirstLine { get; set; }

    /// <summary>Extra raw lines appended to every output file (malformed lines, unknown custom_ids).</summary>
    public IReadOnlyList<string> ExtraOutputLines { get; set; } = [];

    /// <summary>The answer to a synchronous chat completion.</summary>
    public Func<string, string> SyncAnswer { get; set; } = _ => Bodies.OpenAi(Bodies.Direct1);

    /// <summary>The creation time the list reports for every batch (the tests' clock starts at 2026-01-01).</summary>
    public DateTimeOffset FakeClock { get; set; } = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public int Lists => Server.Requests.Count(r => r.Method == "GET" && r.Path.Contains("/batches?", StringComparison.Ordinal));

    public int Uploads => Server.Requests.Count(r => r.Method == "POST" && r.Path.EndsWith("/files", StringComparison.Ordinal));

    public int Creates => Server.Requests.Count(r => r.Method == "POST" && r.Path.EndsWith("/batches", StringComparison.Ordinal));

    public int SyncCalls => Server.Requests.Count(r => r.Path.EndsWith("/chat/completions", StringComparison.Ordinal));

    /// <summary>The custom_ids of every uploaded line, per upload.</summary>
    public List<List<string>> Uploaded { get; } = [];

    public ValueTask DisposeAsync() => Server.DisposeAsync();

    private Reply Handle(ReceivedRequest request, int n)
    {
        var path = request.Path;
        if (request.Method == "POST" && path.EndsWith("/chat/completions", StringComparison.Ordinal))
        {
            return Reply.Json(SyncAnswer(request.Body));
        }

        if (request.Method == "POST" && path.EndsWith("/files", StringComparison.Ordinal))
        {
            var lines = request.Body.Split('\n').Where(l => l.StartsWith("{\"custom_id\"", StringComparison.Ordinal)).ToList();
            var id = "file-" + Interlocked.Increment(ref _next).ToString(CultureInfo.InvariantCulture);
            _files[id] = string.Join('\n', lines) + "\n";
            lock (Uploaded)
            {
                Uploaded.Add([.. lines.Select(l => JsonDocument.Parse(l).RootElement.GetProperty("custom_id").GetString()!)]);
            }

            Assert.Contains("name=purpose", request.Body, StringComparison.Ordinal);
            return Reply.Json($$$"""{"id":"{{{id}}}","object":"file","bytes":{{{lines.Sum(l => l.Length)}}},"created_at":1,"filename":"b.jsonl","purpose":"batch"}""");
        }

        if (request.Method == "POST" && path.EndsWith("/batches", StringComparison.Ordinal))
        {
            using var doc = JsonDocument.Parse(request.Body);
            Assert.Equal("/v1/chat/completions", doc.RootElement.GetProperty("endpoint").GetString());
            Assert.Equal("24h", doc.RootElement.GetProperty("completion_window").GetString());
            var number = _batches.Count + 1;
            var id = "batch_" + number.ToString(CultureInfo.InvariantCulture);
            var name = doc.RootElement.TryGetProperty("metadata", out var metadata) && metadata.TryGetProperty("lpp_batch", out var tag) ? tag.GetString() : null;
            _batches[id] = new FakeBatch(number, doc.RootElement.GetProperty("input_file_id").GetString()!, name);
            return Interlocked.Decrement(ref _loseCreateAnswers) >= 0
                ? new Reply(503, """{"error":{"message":"upstream connect error"}}""")
                : Reply.Json(BatchJson(id, "validating", null, null, 0, 0));
        }

        if (request.Method == "GET" && path.Contains("/batches?", StringComparison.Ordinal))
        {
            // The list, newest first, one batch a page (so the client has to follow has_more and after).
            var after = path.Contains("after=", StringComparison.Ordinal) ? path[(path.IndexOf("after=", StringComparison.Ordinal) + 6)..].Split('&')[0] : null;
            var newest = _batches.OrderByDescending(b => b.Value.Number).ToList();
            if (Interlocked.Decrement(ref _listLag) >= 0)
            {
                newest.Clear();
            }

            var start = after is null ? 0 : newest.FindIndex(b => b.Key == after) + 1;
            var page = newest.Skip(start).Take(1).ToList();
            var data = string.Join(',', page.Select(b =>
                $$$"""{"id":"{{{b.Key}}}","object":"batch","status":"validating","input_file_id":"{{{b.Value.InputFile}}}","created_at":{{{FakeClock.ToUnixTimeSeconds()}}},"metadata":{{{(DropMetadata ? "null" : $$"""{"source":"lpp infer","lpp_batch":{{Quote(b.Value.Name)}}}""")}}}}"""));
            return Reply.Json($$$"""{"object":"list","data":[{{{data}}}],"has_more":{{{(start + 1 < newest.Count ? "true" : "false")}}}}""");
        }

        if (request.Method == "GET" && path.Contains("/batches/", StringComparison.Ordinal))
        {
            var id = path[(path.LastIndexOf('/') + 1)..];
            var batch = _batches[id];
            lock (batch)
            {
                batch.Polls++;
                string[] walk = ["validating", "in_progress", "finalizing"];
                if (batch.Polls <= walk.Length)
                {
                    return Reply.Json(BatchJson(id, walk[batch.Polls - 1], null, null, 0, 0));
                }

                var lines = _files[batch.InputFile].Split('\n', StringSplitOptions.RemoveEmptyEntries);
                var (status, answered) = Outcome(batch.Number, lines.Length);
                if (status == "failed")
                {
                    return Reply.Json($$$"""{"id":"{{{id}}}","object":"batch","status":"failed","errors":{"object":"list","data":[{"code":"invalid_request","message":"line 1: model not found","line":1}]},"output_file_id":null,"error_file_id":null,"request_counts":{"total":{{{lines.Length}}},"completed":0,"failed":0}}""");
                }

                if (batch.Output is null)
                {
                    var output = new StringBuilder();
                    var errors = new StringBuilder();
                    for (var i = Math.Min(answered, lines.Length) - 1; i >= 0; i--)
                    {
                        using var line = JsonDocument.Parse(lines[i]);
                        var customId = line.RootElement.GetProperty("custom_id").GetString()!;
                        var body = Answer(customId, line.RootElement.GetProperty("body"));
                        if (body is null)
                        {
                            errors.Append(CultureInfo.InvariantCulture, $$"""{"id":"batch_req_{{i}}","custom_id":"{{customId}}","response":{"status_code":400,"request_id":"r","body":{"error":{"message":"content policy","type":"invalid_request_error"}""").Append("}},\"error\":null}\n");
                        }
                        else
                        {
                            output.Append(CultureInfo.InvariantCulture, $$"""{"id":"batch_req_{{i}}","custom_id":"{{customId}}","response":{"status_code":200,"request_id":"r","body":""").Append(body).Append("},\"error\":null}\n");
                        }
                    }

                    if (RepeatFirstLine && output.Length > 0)
                    {
                        output.Append(output.ToString()[..(output.ToString().IndexOf('\n', StringComparison.Ordinal) + 1)]);
                    }

                    foreach (var extra in ExtraOutputLines)
                    {
                        output.Append(extra).Append('\n');
                    }

                    batch.Output = "file-out-" + id;
                    _files[batch.Output] = output.ToString();
                    batch.Errors = errors.Length > 0 ? "file-err-" + id : null;
                    if (batch.Errors is not null)
                    {
                        _files[batch.Errors] = errors.ToString();
                    }
                }

                return Reply.Json(BatchJson(id, status, batch.Output, batch.Errors, answered, lines.Length - answered));
            }
        }

        if (request.Method == "GET" && path.Contains("/files/", StringComparison.Ordinal) && path.EndsWith("/content", StringComparison.Ordinal))
        {
            var id = path.Split('/')[^2];
            return _files.TryGetValue(id, out var content) && !_deleted.Contains(id) ? new Reply(200, content) : new Reply(404, """{"error":{"message":"no such file"}}""");
        }

        if (request.Method == "DELETE" && path.Contains("/files/", StringComparison.Ordinal))
        {
            var id = path[(path.LastIndexOf('/') + 1)..];
            OnDelete(id);
            if (!_files.ContainsKey(id) || _deleted.Contains(id))
            {
                return new Reply(404, """{"error":{"message":"no such file"}}""");
            }

            var status = DeleteStatus(id);
            if (status != 200)
            {
                return new Reply(status, """{"error":{"message":"storage unavailable"}}""");
            }

            _deleted.Enqueue(id);
            return Reply.Json($$$"""{"id":"{{{id}}}","object":"file","deleted":true}""");
        }

        return new Reply(404, """{"error":{"message":"unexpected request"}}""");
    }

    private static string BatchJson(string id, string status, string? output, string? errors, int completed, int failed) =>
        $$$"""{"id":"{{{id}}}","object":"batch","endpoint":"/v1/chat/completions","status":"{{{status}}}","input_file_id":"file-1","output_file_id":{{{Quote(output)}}},"error_file_id":{{{Quote(errors)}}},"request_counts":{"total":{{{completed + failed}}},"completed":{{{completed}}},"failed":{{{failed}}}""" + "},\"created_at\":1}";

    private static string Quote(string? value) => value is null ? "null" : "\"" + value + "\"";

    private sealed class FakeBatch(int number, string inputFile, string? name)
    {
        public string? Name => name;

        public int Number => number;

        public string InputFile => inputFile;

        public int Polls { get; set; }

        public string? Output { get; set; }

        public string? Errors { get; set; }
    }
}
