using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Lpp.Inference;

namespace Lpp.Cli.Commands;

/// <summary>
/// <c>lpp infer</c>: classify items under policy concepts with an LLM and write decision records with their
/// signals and the raw provider response. Keys come from OPENAI_API_KEY / GEMINI_API_KEY or --api-key-file only.
/// </summary>
internal static class InferCommand
{
    public static Command Create()
    {
        var provider = new Option<string>("--provider") { Description = "openai, openai-compatible, gemini or local." };
        provider.AcceptOnlyFromAmong([.. ChatProviders.Names]);
        var model = new Option<string>("--model") { Description = "Model name; for local, the path of a GGUF file." };
        var input = new Option<string?>("--input") { Description = "Items as JSON Lines: {id, text?, transcript?, thumbnail?, frames?, video_uri?, language?, labels?}." };
        var dataset = new Option<string[]>("--dataset")
        {
            Description = "A built-in dataset reader and its file: openai-moderation PATH.",
            Arity = new ArgumentArity(2, 2),
            AllowMultipleArgumentsPerToken = true,
        };
        var concepts = new Option<string?>("--concepts") { Description = "CONCEPTS.json (or .yaml): concept key -> {name, definition}. Required with --input." };
        var output = new Option<string>("--output") { Description = "Decision records, JSON Lines; appended to, so a rerun resumes." };
        var baseUrl = new Option<string?>("--base-url") { Description = "Server base URL (openai-compatible: required, ending in /v1; gemini: overrides the host, a Vertex AI URL uses a bearer token)." };
        var apiKeyFile = new Option<string?>("--api-key-file") { Description = "Read the API key from this file instead of OPENAI_API_KEY / GEMINI_API_KEY." };
        var cot = new Option<bool>("--cot") { Description = "Chain-of-thought prompts (exactly three reasoning steps, after the outcome)." };
        var parallel = new Option<int>("--parallel") { Description = "Requests in flight at once.", DefaultValueFactory = _ => new InferenceOptions().Parallel };
        var rpm = new Option<int?>("--rpm") { Description = "Client-side limit of requests per minute." };
        var tpm = new Option<int?>("--tpm") { Description = "Client-side limit of tokens per minute." };
        var maxRetries = new Option<int>("--max-retries") { Description = "Retries of a failed call (429, 5xx, timeout) and of an invalid answer.", DefaultValueFactory = _ => new InferenceOptions().MaxRetries };
        var allowNoLogprobs = new Option<bool>("--allow-no-logprobs") { Description = "When the model refuses logprobs, continue without them instead of stopping." };
        var cache = new Option<string?>("--cache") { Description = "Response cache (SQLite). Default: OUTPUT.cache.db." };
        var templates = new Option<string?>("--templates") { Description = "Folder of prompt templates replacing the built-in ones (text-direct.txt, text-cot.txt, multimodal-direct.txt, multimodal-cot.txt)." };
        var prices = new Option<string?>("--prices") { Description = "Price table JSON {model: {input, output}} in USD per million tokens, for the cost estimate." };
        var timeout = new Option<double>("--timeout") { Description = "Seconds allowed for one call before it is retried.", DefaultValueFactory = _ => new InferenceOptions().AttemptTimeout.TotalSeconds };
        var temperature = new Option<double>("--temperature") { Description = "Sampling temperature.", DefaultValueFactory = _ => new DecodingOptions().Temperature };
        var topP = new Option<double>("--top-p") { Description = "Nucleus sampling mass.", DefaultValueFactory = _ => new DecodingOptions().TopP };
        var maxTokens = new Option<int>("--max-output-tokens") { Description = "Maximum output tokens.", DefaultValueFactory = _ => new DecodingOptions().MaxOutputTokens };
        var topLogprobs = new Option<int>("--top-logprobs") { Description = "Alternatives per generated token (1-20).", DefaultValueFactory = _ => new DecodingOptions().TopLogprobs };
        var maxRetryDelay = new Option<double>("--max-retry-delay") { Description = "Longest wait before a retry, in seconds, whatever delay the server asks for.", DefaultValueFactory = _ => new InferenceOptions().MaxRetryDelay.TotalSeconds };
        var mediaRoot = new Option<string?>("--media-root") { Description = "Folder that local image files named by items are read from (relative paths are taken from it); without it, local files are refused." };
        var retryFailed = new Option<bool>("--retry-failed") { Description = "Run again every record of --output written with an error (transport failures are always run again), replacing it." };
        var batch = new Option<bool>("--batch") { Description = "Use the provider's batch interface (openai, openai-compatible, gemini): half price, answers within 24 h; a rerun resumes the submitted batches." };
        var batchSize = new Option<int>("--batch-size") { Description = "Requests per batch (at most 50000; batches also stay under the provider's size limit).", DefaultValueFactory = _ => new BatchOptions().BatchSize };
        var pollInterval = new Option<double>("--poll-interval") { Description = "Seconds between two polls of the running batches.", DefaultValueFactory = _ => new BatchOptions().PollInterval.TotalSeconds };
        var shard = new Option<string?>("--shard") { Description = "K/N: run only the pairs of shard K of N (a stable hash of the record id), so N runs split one dataset without coordination." };
        var batchStatus = new Option<bool>("--batch-status") { Description = "Print where each batch of this provider, base URL and model in the cache stands, and exit." };
        var maxMediaBytes = new Option<long>("--max-media-bytes") { Description = "Largest local image file read, in bytes.", DefaultValueFactory = _ => new MediaOptions().MaxBytes };
        var command = new Command("infer", "Classify items with an LLM under a structured prompt and write decision records with their signals.")
        {
            provider, model, input, dataset, concepts, output, baseUrl, apiKeyFile, cot, parallel, rpm, tpm, maxRetries,
            allowNoLogprobs, cache, templates, prices, timeout, temperature, topP, maxTokens, topLogprobs,
            maxRetryDelay, mediaRoot, maxMediaBytes, retryFailed, batch, batchSize, pollInterval, batchStatus, shard,
        };
        command.SetAction(async (parse, cancel) =>
        {
            var settings = new Settings
            {
                Provider = parse.GetValue(provider) ?? throw new CliException("--provider is required (openai, openai-compatible, gemini, local)"),
                Model = parse.GetValue(model) ?? throw new CliException("--model is required"),
                Input = parse.GetValue(input),
                Dataset = parse.GetValue(dataset) is { Length: > 0 } d ? d : null,
                Concepts = parse.GetValue(concepts),
                Output = parse.GetValue(output) ?? throw new CliException("--output is required"),
                BaseUrl = parse.GetValue(baseUrl),
                ApiKeyFile = parse.GetValue(apiKeyFile),
                Cot = parse.GetValue(cot),
                Cache = parse.GetValue(cache),
                Templates = parse.GetValue(templates),
                Prices = parse.GetValue(prices),
                Media = new MediaOptions { Root = parse.GetValue(mediaRoot), MaxBytes = parse.GetValue(maxMediaBytes) },
                RetryFailed = parse.GetValue(retryFailed),
                Batch = parse.GetValue(batch),
                Shard = parse.GetValue(shard) is { } k ? ParseShard(k) : null,
                BatchStatus = parse.GetValue(batchStatus),
                BatchOptions = new BatchOptions
                {
                    BatchSize = parse.GetValue(batchSize),
                    PollInterval = Seconds(parse.GetValue(pollInterval), "--poll-interval"),
                },
            };
            var longestDelay = Seconds(parse.GetValue(maxRetryDelay), "--max-retry-delay");
            var options = new InferenceOptions
            {
                Parallel = parse.GetValue(parallel),
                RequestsPerMinute = parse.GetValue(rpm),
                TokensPerMinute = parse.GetValue(tpm),
                MaxRetries = parse.GetValue(maxRetries),
                AllowNoLogprobs = parse.GetValue(allowNoLogprobs),
                AttemptTimeout = TimeSpan.FromSeconds(Math.Max(0.001, parse.GetValue(timeout))),
                MaxRetryDelay = longestDelay,
                RetryBaseDelay = longestDelay < new InferenceOptions().RetryBaseDelay ? longestDelay : new InferenceOptions().RetryBaseDelay,
                Decoding = new DecodingOptions
                {
                    Temperature = parse.GetValue(temperature),
                    TopP = parse.GetValue(topP),
                    MaxOutputTokens = parse.GetValue(maxTokens),
                    TopLogprobs = parse.GetValue(topLogprobs),
                },
            };
            try
            {
                options.Validate();
                settings.Media.Validate();
                settings.BatchOptions.Validate();
            }
            catch (ArgumentOutOfRangeException e)
            {
                throw new CliException("--" + OptionName(e.ParamName) + ": " + e.Message.Split(" (Parameter", 2)[0]);
            }

            return await RunAsync(settings, options, cancel).ConfigureAwait(false);
        });
        return command;
    }

    private static string OptionName(string? parameter) => parameter switch
    {
        nameof(InferenceOptions.Parallel) => "parallel",
        nameof(InferenceOptions.MaxRetries) => "max-retries",
        nameof(InferenceOptions.RequestsPerMinute) => "rpm",
        nameof(InferenceOptions.TokensPerMinute) => "tpm",
        nameof(InferenceOptions.AttemptTimeout) => "timeout",
        nameof(InferenceOptions.RetryBaseDelay) or nameof(InferenceOptions.MaxRetryDelay) => "max-retry-delay",
        nameof(MediaOptions.MaxBytes) => "max-media-bytes",
        nameof(BatchOptions.BatchSize) => "batch-size",
        nameof(BatchOptions.PollInterval) => "poll-interval",
        nameof(DecodingOptions.Temperature) => "temperature",
        nameof(DecodingOptions.TopP) => "top-p",
        nameof(DecodingOptions.MaxOutputTokens) => "max-output-tokens",
        nameof(DecodingOptions.TopLogprobs) => "top-logprobs",
        _ => parameter ?? "?",
    };

    private static Shard ParseShard(string text)
    {
        try
        {
            return Shard.Parse(text);
        }
        catch (FormatException e)
        {
            throw new CliException("--shard: " + e.Message);
        }
    }

    /// <summary>A number of seconds from the command line as a time span: finite, 0 to one day.</summary>
    private static TimeSpan Seconds(double seconds, string option) =>
        double.IsFinite(seconds) && seconds is >= 0 and <= 86_400
            ? TimeSpan.FromSeconds(seconds)
            : throw new CliException($"{option}: {seconds.ToString(CultureInfo.InvariantCulture)} is not a number of seconds in [0, 86400]");

    private static async Task<int> RunAsync(Settings settings, InferenceOptions options, CancellationToken cancel)
    {
        if ((settings.Batch || settings.BatchStatus) && settings.Provider == "local")
        {
            throw new CliException("--batch and --batch-status need --provider openai, openai-compatible or gemini (a local model has no batch interface)");
        }

        if (settings.BatchStatus)
        {
            return await StatusAsync(settings, cancel).ConfigureAwait(false);
        }

        var (items, concepts, knownOnly) = Inputs(settings);
        var apiKey = ApiKey(settings);
        Uri? baseUrl = null;
        if (settings.BaseUrl is not null && !Uri.TryCreate(settings.BaseUrl, UriKind.Absolute, out baseUrl))
        {
            throw new CliException($"--base-url {settings.BaseUrl}: not an absolute URL");
        }

        if (settings.Provider == "openai-compatible" && baseUrl is null)
        {
            throw new CliException("--base-url is required with --provider openai-compatible");
        }

        if (settings.Provider == "local")
        {
            OutputFiles.CheckReadable([settings.Model], "--model");
        }

        if (settings.Media.Root is { } root && !Directory.Exists(root))
        {
            throw new CliException($"--media-root {root}: not a folder");
        }

        PromptTemplates templates;
        try
        {
            templates = settings.Templates is null ? PromptTemplates.Default : PromptTemplates.Load(settings.Templates);
        }
        catch (Exception e) when (e is FormatException or IOException or UnauthorizedAccessException)
        {
            throw new CliException($"--templates {settings.Templates}: {e.Message}");
        }

        PriceTable priceTable;
        try
        {
            priceTable = settings.Prices is null ? PriceTable.Default : PriceTable.Load(settings.Prices);
        }
        catch (Exception e) when (e is FormatException or IOException or UnauthorizedAccessException)
        {
            throw new CliException($"--prices {settings.Prices}: {e.Message}");
        }

        using var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = options.Parallel,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            AutomaticDecompression = System.Net.DecompressionMethods.All,
        };
        using var http = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
        var chat = ChatProviders.Create(settings.Provider, settings.Model, baseUrl, apiKey, http);
        IEnumerable<InferenceItem> Items() => items().Where(r => r.Item is not null).Select(r => r.Item!);
        IEnumerable<InferenceTask> Tasks() => settings.Shard is { } part
            ? InferenceTask.For(Items(), concepts, knownOnly).Where(t => part.Contains(t.RecordId))
            : InferenceTask.For(Items(), concepts, knownOnly);
        var (total, rejected) = Guard(() => Count(items(), concepts, knownOnly, settings), settings);
        var cachePath = settings.Cache ?? settings.Output + ".cache.db";
        using var responseCache = Open(() => new ResponseCache(cachePath), "--cache", cachePath);
        using var records = Open(() => new RecordFile(settings.Output, settings.RetryFailed), "--output", settings.Output);
        var prompts = new PromptBuilder(templates, settings.Cot, settings.Media);
        using var ledger = settings.Batch ? Open(() => new BatchLedger(cachePath), "--cache", cachePath) : null;
        var batchRunner = ledger is null
            ? null
            : new BatchRunner(chat, ChatProviders.CreateBatch(settings.Provider, settings.Model, baseUrl, apiKey, http), settings.BatchOptions, options, prompts, responseCache, ledger, log: line => Console.Error.WriteLine("lpp infer: " + line));
        var runner = batchRunner is null ? new InferenceRunner(chat, options, prompts, responseCache) : null;
        var clock = Stopwatch.StartNew();
        using var progress = new CancellationTokenSource();
        var reporter = Report(() => runner?.Summary ?? batchRunner?.Writer?.Summary, total, clock, progress.Token);
        InferenceSummary summary;
        try
        {
            summary = batchRunner is not null
                ? await batchRunner.RunAsync(Tasks, records, cancel).ConfigureAwait(false)
                : await runner!.RunAsync(Tasks(), records, cancel).ConfigureAwait(false);
        }
        catch (InferenceStoppedException e)
        {
            throw new CliException(e.Message);
        }
        finally
        {
            await progress.CancelAsync().ConfigureAwait(false);
            await reporter.ConfigureAwait(false);
            (chat as IDisposable)?.Dispose();
        }

        var cost = priceTable.Estimate(chat.Model, summary.PromptTokens, summary.OutputTokens);
        var costText = cost is { } c ? "$" + c.ToString("0.0000", CultureInfo.InvariantCulture) : $"unknown (no price for {chat.Model}; see --prices)";
        if (batchRunner?.Progress is { } batchProgress)
        {
            // Both providers bill batch tokens at half the synchronous price.
            var batchCost = priceTable.Estimate(chat.Model, batchProgress.PromptTokens, batchProgress.OutputTokens) / 2;
            costText = cost is { } sync && batchCost is { } half ? "$" + (sync + half).ToString("0.0000", CultureInfo.InvariantCulture) : costText;
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"infer: batches submitted {batchProgress.Batches} ({batchProgress.Requests} requests, resubmitted {batchProgress.Resubmitted}), done {batchProgress.Done}, failed {batchProgress.FailedBatches}; answers {batchProgress.Answers}, errors {batchProgress.Errors}, malformed lines {batchProgress.Malformed}, unknown ids {batchProgress.Unknown}, repeated ids {batchProgress.Duplicates}; files deleted at the provider {batchProgress.DeletedFiles}; batch tokens {batchProgress.PromptTokens} in / {batchProgress.OutputTokens} out at batch prices"));
        }
        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"infer: tasks {summary.Tasks}, written {summary.Written} (without an answer {summary.Failed}: transport {summary.Transport}, refused {summary.Refused}, media {summary.Media}; invalid {summary.Invalid}, without logprobs {summary.WithoutLogprobs}), already done {summary.Skipped}, run again {records.RetryCount}, rejected items {rejected}{(settings.Shard is { } ran ? $", shard {ran}" : string.Empty)} -> {settings.Output}"));
        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"infer: calls {summary.Calls} (cache hits {summary.CacheHits}, retries {summary.Retries}, answer retries {summary.AnswerRetries}), tokens {summary.PromptTokens} in / {summary.OutputTokens} out, estimated cost {costText}, {clock.Elapsed.TotalSeconds:0.0} s"));
        return Outcome(summary);
    }

    /// <summary>
    /// 0 when every pair has an answer; 2 when every record written failed in transport for one reason (named);
    /// otherwise 1 when any pair ended without an answer (transport failures are called again by a rerun, the rest
    /// with --retry-failed).
    /// </summary>
    private static int Outcome(InferenceSummary summary)
    {
        if (summary.Written > 0 && summary.Transport == summary.Written && summary.TransportReasons.Count == 1)
        {
            Console.Error.WriteLine($"lpp infer: every call failed: {summary.TransportReasons.Keys.Single()}");
            return ExitCodes.Usage;
        }

        if (summary.Failed == 0)
        {
            return ExitCodes.Ok;
        }

        foreach (var (reason, count) in summary.TransportReasons.OrderByDescending(r => r.Value).Take(5))
        {
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"infer: transport failure x{count}: {reason}"));
        }

        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"lpp infer: {summary.Failed} pairs have no answer (transport {summary.Transport}: a rerun calls again; refused {summary.Refused}, media {summary.Media}: --retry-failed)"));
        return ExitCodes.NoAnswer;
    }

    /// <summary>
    /// The number of tasks and of rejected items (each reported on standard error), read before any call; a repeated
    /// item id stops the run here, naming both lines.
    /// </summary>
    private static (long Total, long Rejected) Count(IEnumerable<ItemReadResult> items, IReadOnlyList<Concept> concepts, bool knownOnly, Settings settings)
    {
        long total = 0;
        long rejected = 0;
        var file = settings.Input ?? settings.Dataset![1];
        foreach (var result in items)
        {
            if (result.Duplicate)
            {
                throw new CliException($"{file}:{result.Line.ToString(CultureInfo.InvariantCulture)}: {result.Error}; item ids must be unique, nothing was sent");
            }

            if (result.Item is { } item)
            {
                total += concepts.Count(c => (!knownOnly || item.Labels.ContainsKey(c.Key)) && (settings.Shard is not { } part || part.Contains(item.Id + "/" + c.Key)));
            }
            else
            {
                rejected++;
                Console.Error.WriteLine($"lpp infer: {file}:{result.Line.ToString(CultureInfo.InvariantCulture)}: {result.Error}");
            }
        }

        return (total, rejected);
    }

    /// <summary><c>--batch-status</c>: where each batch of this provider, base URL and model stands (unfinished ones are polled once).</summary>
    private static async Task<int> StatusAsync(Settings settings, CancellationToken cancel)
    {
        var apiKey = ApiKey(settings);
        Uri? baseUrl = null;
        if (settings.BaseUrl is not null && !Uri.TryCreate(settings.BaseUrl, UriKind.Absolute, out baseUrl))
        {
            throw new CliException($"--base-url {settings.BaseUrl}: not an absolute URL");
        }

        var cachePath = settings.Cache ?? settings.Output + ".cache.db";
        if (!File.Exists(cachePath))
        {
            throw new CliException($"--cache {cachePath}: no such file (no batch was submitted with it)");
        }

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(120) };
        var chat = ChatProviders.Create(settings.Provider, settings.Model, baseUrl, apiKey, http);
        var transport = ChatProviders.CreateBatch(settings.Provider, settings.Model, baseUrl, apiKey, http);
        using var ledger = Open(() => new BatchLedger(cachePath), "--cache", cachePath);
        var batches = ledger.Batches(chat.Name, chat.Endpoint, chat.Model);
        if (batches.Count == 0)
        {
            Console.Error.WriteLine($"infer: no batches of {chat.Name} {chat.Model} at {chat.Endpoint} in {cachePath}");
            return ExitCodes.Ok;
        }

        var now = DateTimeOffset.UtcNow;
        foreach (var b in batches)
        {
            var status = b.Status;
            var counts = string.Empty;
            if (b.Status == BatchLedger.Submitting)
            {
                counts = ", not created (the run was interrupted before asking for it; the next run submits its requests again)";
            }
            else if (b.Status == BatchLedger.Creating)
            {
                counts = ", creation not confirmed (the run was interrupted; the next run looks it up by this name before submitting again)";
            }
            else if (!b.Collected)
            {
                try
                {
                    var state = await transport.PollAsync(b.Id, cancel).ConfigureAwait(false);
                    status = state.Status;
                    counts = string.Create(CultureInfo.InvariantCulture, $", completed {state.Completed?.ToString(CultureInfo.InvariantCulture) ?? "?"}, failed {state.Failed?.ToString(CultureInfo.InvariantCulture) ?? "?"}");
                }
                catch (ProviderException e)
                {
                    counts = $", cannot poll ({e.Message})";
                }
            }

            var age = now - b.Submitted;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{b.Id}\t{status}\t{b.Requests} requests{counts}\tsubmitted {b.Submitted:yyyy-MM-dd HH:mm:ss}Z ({(long)age.TotalHours}:{age.Minutes:00}:{age.Seconds:00} ago)\t{(b.Collected ? "collected" : "not collected")}{(b.Message is null ? string.Empty : "\t" + b.Message)}"));
        }

        return ExitCodes.Ok;
    }

    private static (Func<IEnumerable<ItemReadResult>> Items, IReadOnlyList<Concept> Concepts, bool KnownOnly) Inputs(Settings settings)
    {
        if ((settings.Input is null) == (settings.Dataset is null))
        {
            throw new CliException("give exactly one of --input ITEMS.jsonl and --dataset openai-moderation PATH");
        }

        IReadOnlyList<Concept>? concepts = null;
        if (settings.Concepts is not null)
        {
            OutputFiles.CheckReadable([settings.Concepts], "--concepts");
            try
            {
                concepts = ConceptFile.Load(settings.Concepts);
            }
            catch (FormatException e)
            {
                throw new CliException($"--concepts {settings.Concepts}: {e.Message}");
            }
        }

        if (settings.Input is { } path)
        {
            OutputFiles.CheckReadable([path], "--input");
            return (() => ItemReader.Read(path), concepts ?? throw new CliException("--concepts is required with --input"), false);
        }

        var (name, file) = (settings.Dataset![0], settings.Dataset[1]);
        if (name != ModerationDataset.Name)
        {
            throw new CliException($"--dataset {name}: unknown dataset (known: {ModerationDataset.Name})");
        }

        OutputFiles.CheckReadable([file], "--dataset");
        return (() => ModerationDataset.Read(file), concepts ?? ModerationDataset.Concepts, true);
    }

    /// <summary>The key from --api-key-file or the provider's environment variable; never from an argument.</summary>
    private static string? ApiKey(Settings settings)
    {
        if (settings.ApiKeyFile is { } file)
        {
            OutputFiles.CheckReadable([file], "--api-key-file");
            var key = File.ReadAllText(file).Trim();
            return key.Length > 0 ? key : throw new CliException($"--api-key-file {file}: the file is empty");
        }

        var variable = settings.Provider switch
        {
            "openai" or "openai-compatible" => "OPENAI_API_KEY",
            "gemini" => "GEMINI_API_KEY",
            _ => null,
        };
        var value = variable is null ? null : Environment.GetEnvironmentVariable(variable);
        if (string.IsNullOrWhiteSpace(value) && settings.Provider is "openai" or "gemini")
        {
            throw new CliException($"{variable} is not set (or pass --api-key-file FILE)");
        }

        return string.IsNullOrWhiteSpace(value) ? null : value.Trim();
    }

    private static T Guard<T>(Func<T> action, Settings settings)
    {
        try
        {
            return action();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            throw new CliException($"{(settings.Input is null ? "--dataset" : "--input")} {settings.Input ?? settings.Dataset![1]}: cannot read ({e.Message})");
        }
    }

    private static T Open<T>(Func<T> open, string option, string path)
    {
        try
        {
            return open();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or Microsoft.Data.Sqlite.SqliteException)
        {
            throw new CliException($"{option} {path}: cannot open ({e.Message})");
        }
    }

    /// <summary>A progress line on standard error when it is a terminal: done/failed counts, rate and time left.</summary>
    private static async Task Report(Func<InferenceSummary?> current, long total, Stopwatch clock, CancellationToken stop)
    {
        if (Console.IsErrorRedirected)
        {
            return;
        }

        try
        {
            while (!stop.IsCancellationRequested)
            {
                await Task.Delay(500, stop).ConfigureAwait(false);
                if (current() is not { } s)
                {
                    continue;
                }

                var done = s.Written + s.Skipped;
                var rate = s.Written / Math.Max(clock.Elapsed.TotalSeconds, 1e-3);
                var left = rate > 0 ? TimeSpan.FromSeconds((total - done) / rate).ToString(@"hh\:mm\:ss", CultureInfo.InvariantCulture) : "--:--:--";
                var width = 30;
                var filled = total == 0 ? width : (int)(width * Math.Min(1, done / (double)total));
                Console.Error.Write(string.Create(CultureInfo.InvariantCulture,
                    $"\r[{new string('#', filled)}{new string('.', width - filled)}] {done}/{total} failed {s.Failed} {rate:0.0}/s left {left}   "));
            }
        }
        catch (OperationCanceledException)
        {
        }

        Console.Error.WriteLine();
    }

    private sealed record Settings
    {
        public required string Provider { get; init; }

        public required string Model { get; init; }

        public string? Input { get; init; }

        public string[]? Dataset { get; init; }

        public string? Concepts { get; init; }

        public required string Output { get; init; }

        public string? BaseUrl { get; init; }

        public string? ApiKeyFile { get; init; }

        public bool Cot { get; init; }

        public string? Cache { get; init; }

        public string? Templates { get; init; }

        public string? Prices { get; init; }

        public required MediaOptions Media { get; init; }

        public bool RetryFailed { get; init; }

        public bool Batch { get; init; }

        public Shard? Shard { get; init; }

        public bool BatchStatus { get; init; }

        public required BatchOptions BatchOptions { get; init; }
    }
}
