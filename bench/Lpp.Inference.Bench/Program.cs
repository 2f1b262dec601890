// Client overhead of `lpp infer` against a loopback OpenAI-style server answering at once: requests per second
// through the whole runner (prompt, request body, SDK pipeline, parse, validation, token alignment, record write,
// optional SQLite cache) and memory sampled along the run. Usage:
//   dotnet run -c Release --project bench/Lpp.Inference.Bench -- [items=100000] [parallel=64] [cache=false]
using System.Diagnostics;
using System.Globalization;
using Lpp.Inference;
using Lpp.Inference.Tests;

var items = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 100_000;
var parallel = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 64;
var useCache = args.Length > 2 && bool.Parse(args[2]);

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
await using var server = new LoopbackServer((_, _) => new Reply(200, Body), recordRequests: false);
using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = parallel };
using var http = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
var provider = new OpenAiChatProvider(new OpenAiProviderOptions { Model = "gpt-4o-mini", ApiKey = "bench", BaseUrl = server.BaseUrl }, http);
using var cache = useCache ? new ResponseCache(Path.Combine(folder, "cache.db")) : null;
var runner = new InferenceRunner(provider, new InferenceOptions { Parallel = parallel }, new PromptBuilder(PromptTemplates.Default, false), cache);
var concept = new Concept("H", "hate", "Content that expresses, incites, or promotes hate based on protected attributes.");

IEnumerable<InferenceTask> Tasks()
{
    for (var i = 0; i < items; i++)
    {
        yield return new InferenceTask(new InferenceItem { Id = "item-" + i.ToString(CultureInfo.InvariantCulture), Text = "Sample text number " + i.ToString(CultureInfo.InvariantCulture) }, concept);
    }
}

var clock = Stopwatch.StartNew();
using var stop = new CancellationTokenSource();
var samples = Task.Run(async () =>
{
    var last = -1L;
    while (!stop.IsCancellationRequested)
    {
        var done = runner.Summary.Written;
        if (done / (items / 10) != last)
        {
            last = done / (items / 10);
            using var process = Process.GetCurrentProcess();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{done,8} done  {done / Math.Max(clock.Elapsed.TotalSeconds, 1e-3),8:0} req/s  managed {GC.GetTotalMemory(false) / 1e6,7:0.0} MB  working set {process.WorkingSet64 / 1e6,7:0.0} MB"));
        }

        await Task.Delay(50);
    }
});

using (var output = new RecordFile(Path.Combine(folder, "out.jsonl")))
{
    var summary = await runner.RunAsync(Tasks(), output);
    clock.Stop();
    await stop.CancelAsync();
    await samples;
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"items {items}, parallel {parallel}, cache {useCache}: {summary.Calls} calls in {clock.Elapsed.TotalSeconds:0.00} s = {summary.Calls / clock.Elapsed.TotalSeconds:0} req/s; written {summary.Written}, failed {summary.Failed}; peak working set {Process.GetCurrentProcess().PeakWorkingSet64 / 1e6:0.0} MB"));
}

Directory.Delete(folder, recursive: true);
