// Client overhead of `lpp infer` against a loopback OpenAI-style server answering at once, in one of two modes.
//   sync:  requests per second through the whole synchronous runner (prompt, request body, SDK pipeline, parse,
//          validation, token alignment, record write, optional SQLite cache). Usage:
//          dotnet run -c Release --project bench/Lpp.Inference.Bench -- [items=100000] [parallel=64] [cache=false]
//   batch: the batch path's own overhead: build every request, write and upload the batch files, create, poll,
//          download and parse the results into the SQLite cache, then write every record from it. Usage:
//          dotnet run -c Release --project bench/Lpp.Inference.Bench -- batch [items=100000] [batch-size=50000]
// Both print requests/s and the peak working set; scripts/bench-batch.sh runs them side by side.
using System.Diagnostics;
using System.Globalization;
using Lpp.Inference;
using Lpp.Inference.Bench;
using Lpp.Inference.Tests;

var batchMode = args.Length > 0 && args[0] == "batch";
var rest = batchMode ? args[1..] : args;
var items = rest.Length > 0 ? int.Parse(rest[0], CultureInfo.InvariantCulture) : 100_000;
var parallel = !batchMode && rest.Length > 1 ? int.Parse(rest[1], CultureInfo.InvariantCulture) : 64;
var batchSize = batchMode && rest.Length > 1 ? int.Parse(rest[1], CultureInfo.InvariantCulture) : 50_000;
var useCache = !batchMode && rest.Length > 2 && bool.Parse(rest[2]);
const string Body = """
    {"id":"chatcmpl-bench","object":"chat.completion","model":"gpt-4o-mini","choices":[{"index":0,"message":{"role":"assistant","content":"{\"outcome\":1,\"p_correct\":85,\"band\":\"H\"}"},
    "logprobs":{"content":[
    {"token":"{\"","logprob":-0.001,"bytes":[123,34],"top_logprobs":[{"token":"{\"","logprob":-0.001}]},
    {"token":"outcome","logprob":-0.001,"bytes":[111,117,116,99,111,109,101],"top_logprobs":[{"token":"outcome","logprob":-0.001}]},
    {"token":"\":","logprob":-0.001,"bytes":[34,58],"top_logprobs":[{"token":"\":","logprob":-0.001}]},
    {"token":"1","logprob":-0.02,"bytes":[49],"top_logprobs":[{"token":"1","logprob":-0.02},{"token":"0","logprob":-4.1},{"token":"2","logprob":-6.3},{"token":"3","logprob":-9.0}]},
    {"token":",\"","logprob":-0.001,"bytes":[44,34],"top_logprobs":[{"token":",\"","logprob":-0.001}]},
    {"token":"p_correct","logprob":-0.001,"top_logprobs":[{"token":"p_correct","logprob":-0.001}]},
    {"token":"\":","logprob":-0.001,"top_logprobs":[{"token":"\":","logprob":-0.001}]},
    {"token":"85","logprob":-0.3,"top_logprobs":[{"token":"85","logprob":-0.3},{"token":"90","logprob":-1.5}]},
    {"token":",\"band\":\"H\"}","logprob":-0.1,"top_logprobs":[{"token":",\"band\":\"H\"}","logprob":-0.1}]}]},
    "finish_reason":"stop"}],"usage":{"prompt_tokens":310,"completion_tokens":9}}
    """;

var folder = Path.Combine(Path.GetTempPath(), "lpp-bench-" + Guid.NewGuid().ToString("N"));
Directory.CreateDirectory(folder);
var concept = new Concept("H", "hate", "Content that expresses, incites, or promotes hate based on protected attributes.");

IEnumerable<InferenceTask> Tasks()
{
    for (var i = 0; i < items; i++)
    {
        yield return new InferenceTask(new InferenceItem { Id = "item-" + i.ToString(CultureInfo.InvariantCulture), Text = "Sample text number " + i.ToString(CultureInfo.InvariantCulture) }, concept);
    }
}

var clock = Stopwatch.StartNew();
var peak = 0L;
using var stop = new CancellationTokenSource();
Func<string> progress = () => string.Empty;
var samples = Task.Run(async () =>
{
    var next = TimeSpan.Zero;
    while (!stop.IsCancellationRequested)
    {
        using var process = Process.GetCurrentProcess();
        peak = Math.Max(peak, process.WorkingSet64);
        if (clock.Elapsed >= next)
        {
            next += TimeSpan.FromSeconds(5);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{clock.Elapsed.TotalSeconds,6:0.0} s  {progress()}  managed {GC.GetTotalMemory(false) / 1e6,7:0.0} MB  working set {process.WorkingSet64 / 1e6,7:0.0} MB"));
        }

        await Task.Delay(50);
    }
});

if (batchMode)
{
    await using var server = await BatchBenchServer.StartAsync(folder, Body);
    using var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
    var provider = new OpenAiChatProvider(new OpenAiProviderOptions { Model = "gpt-4o-mini", ApiKey = "bench", BaseUrl = server.BaseUrl }, http);
    var cachePath = Path.Combine(folder, "cache.db");
    using var cache = new ResponseCache(cachePath);
    using var ledger = new BatchLedger(cachePath);
    var runner = new BatchRunner(
        provider,
        new OpenAiBatchTransport(server.BaseUrl, "bench", http),
        new BatchOptions { BatchSize = batchSize, PollInterval = TimeSpan.FromSeconds(1), WorkFolder = folder },
        new InferenceOptions { Parallel = 4 },
        new PromptBuilder(PromptTemplates.Default, false),
        cache,
        ledger);
    progress = () => string.Create(CultureInfo.InvariantCulture, $"submitted {runner.Progress.Requests,7}  answers {runner.Progress.Answers,7}  written {runner.Writer?.Summary.Written ?? 0,7}");
    using var output = new RecordFile(Path.Combine(folder, "out.jsonl"));
    var summary = await runner.RunAsync(Tasks, output);
    clock.Stop();
    await stop.CancelAsync();
    await samples;
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"batch: items {items}, batch size {batchSize}: {runner.Progress.Batches} batches, {runner.Progress.Answers} answers, written {summary.Written} ({summary.CacheHits} from the cache, {summary.Calls} calls), failed {summary.Failed} in {clock.Elapsed.TotalSeconds:0.00} s = {items / clock.Elapsed.TotalSeconds:0} req/s, {Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds:0.0} CPU s; peak working set {Math.Max(peak, Process.GetCurrentProcess().PeakWorkingSet64) / 1e6:0.0} MB"));
}
else
{
    await using var server = new LoopbackServer((_, _) => new Reply(200, Body), recordRequests: false);
    using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = parallel };
    using var http = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
    var provider = new OpenAiChatProvider(new OpenAiProviderOptions { Model = "gpt-4o-mini", ApiKey = "bench", BaseUrl = server.BaseUrl }, http);
    using var cache = useCache ? new ResponseCache(Path.Combine(folder, "cache.db")) : null;
    var runner = new InferenceRunner(provider, new InferenceOptions { Parallel = parallel }, new PromptBuilder(PromptTemplates.Default, false), cache);
    progress = () => string.Create(CultureInfo.InvariantCulture, $"{runner.Summary.Written,8} done  {runner.Summary.Written / Math.Max(clock.Elapsed.TotalSeconds, 1e-3),8:0} req/s");
    using var output = new RecordFile(Path.Combine(folder, "out.jsonl"));
    var summary = await runner.RunAsync(Tasks(), output);
    clock.Stop();
    await stop.CancelAsync();
    await samples;
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"sync: items {items}, parallel {parallel}, cache {useCache}: {summary.Calls} calls in {clock.Elapsed.TotalSeconds:0.00} s = {summary.Calls / clock.Elapsed.TotalSeconds:0} req/s, {Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds:0.0} CPU s; written {summary.Written}, failed {summary.Failed}; peak working set {Math.Max(peak, Process.GetCurrentProcess().PeakWorkingSet64) / 1e6:0.0} MB"));
}

Directory.Delete(folder, recursive: true);
