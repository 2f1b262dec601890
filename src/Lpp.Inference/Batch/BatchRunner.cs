using System.Globalization;

namespace Lpp.Inference;

/// <summary>
/// Runs (item, concept) tasks through a provider's batch interface. The requests are built exactly as the
/// synchronous path builds them and keyed by their cache key; those not answered yet (not in the cache, not in a
/// batch still running) are written to batch files of at most <see cref="BatchOptions.BatchSize"/> requests and the
/// provider's size limit, recorded in the <see cref="BatchLedger"/> under a client-side name before they are created
/// with that name, and confirmed with the provider's id (so a run killed after submitting resumes by polling the same
/// batches, and one killed while creating looks its batch up by name or uploaded file, allowing for a list that lags,
/// instead of creating it again). Finished batches are collected: answers go into the response cache by their
/// key (never by position), per-request errors into the ledger, and the batch's files at the provider are deleted
/// once that is stored; requests of an expired or cancelled batch that did not
/// run are submitted again (at most <see cref="InferenceOptions.MaxRetries"/> more rounds). Last, the synchronous
/// runner writes every record from the cache, so both paths write the same records for the same answers; an invalid
/// answer is asked again synchronously, and a request the batch could not answer is written with its error.
/// </summary>
public sealed class BatchRunner
{
    private const string Resubmit = "resubmit";

    /// <summary>Answers stored in the cache per transaction while a batch's results are read (and decoded in parallel).</summary>
    private const int CacheChunk = 1000;

    /// <summary>Requests built in parallel at a time before they are checked and written in order (bounds memory).</summary>
    private const int BuildChunk = 512;

    /// <summary>Requests the last collected batches left to submit again (expired, cancelled, transport errors).</summary>
    private long _toResubmit;
    private readonly IChatProvider _provider;
    private readonly IBatchTransport _transport;
    private readonly BatchOptions _options;
    private readonly InferenceOptions _inference;
    private readonly PromptBuilder _prompts;
    private readonly ResponseCache _cache;
    private readonly BatchLedger _ledger;
    private readonly TimeProvider _time;
    private readonly Action<string> _log;

    /// <summary>Creates a batch runner; <paramref name="log"/> receives progress lines.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public BatchRunner(IChatProvider provider, IBatchTransport transport, BatchOptions options, InferenceOptions inference, PromptBuilder prompts, ResponseCache cache, BatchLedger ledger, TimeProvider? time = null, Action<string>? log = null)
    {
        ArgumentNullException.ThrowIfNull(provider);
        ArgumentNullException.ThrowIfNull(transport);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(inference);
        ArgumentNullException.ThrowIfNull(prompts);
        ArgumentNullException.ThrowIfNull(cache);
        ArgumentNullException.ThrowIfNull(ledger);
        options.Validate();
        inference.Validate();
        _provider = provider;
        _transport = transport;
        _options = options;
        _inference = inference;
        _prompts = prompts;
        _cache = cache;
        _ledger = ledger;
        _time = time ?? TimeProvider.System;
        _log = log ?? (_ => { });
    }

    /// <summary>The batch counters of the current (or last) run.</summary>
    public BatchProgress Progress { get; private set; } = new();

    /// <summary>The synchronous runner of the last step, once it has started (for progress), else null.</summary>
    public InferenceRunner? Writer { get; private set; }

    /// <summary>
    /// Runs every task: batches first, then records. <paramref name="tasks"/> is enumerated once per round and once to
    /// write (streamed: memory does not grow with the number of tasks, beyond one batch's keys).
    /// </summary>
    /// <exception cref="InferenceStoppedException">A batch cannot be submitted, or the run cannot go on.</exception>
    public async Task<InferenceSummary> RunAsync(Func<IEnumerable<InferenceTask>> tasks, IRecordSink sink, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tasks);
        ArgumentNullException.ThrowIfNull(sink);
        Progress = new BatchProgress();
        await DeleteFilesAsync(cancellationToken).ConfigureAwait(false); // left by a run killed after collecting
        var pending = await ResolveAsync([.. _ledger.Batches(_provider.Name, _provider.Endpoint, _provider.Model).Where(b => !b.Collected)], cancellationToken).ConfigureAwait(false);
        if (pending.Count > 0)
        {
            _log(string.Create(CultureInfo.InvariantCulture, $"batch: resuming {pending.Count} batches submitted earlier ({pending.Sum(b => (long)b.Requests)} requests)"));
            await WaitAndCollectAsync(pending, cancellationToken).ConfigureAwait(false);
        }

        for (var round = 0; round <= _inference.MaxRetries; round++)
        {
            var submitted = await SubmitAsync(tasks(), sink, cancellationToken).ConfigureAwait(false);
            if (submitted.Count == 0)
            {
                break;
            }

            _toResubmit = 0;
            await WaitAndCollectAsync(submitted, cancellationToken).ConfigureAwait(false);
            if (_toResubmit == 0)
            {
                break; // every request of this round was answered or refused: another pass would build them all to submit none
            }
        }

        var writer = Writer = new InferenceRunner(new BatchAnswers(_provider, _ledger), _inference, _prompts, _cache, _time);
        return await writer.RunAsync(tasks(), sink, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Writes the requests still without an answer into batch files and submits them.</summary>
    private async Task<List<BatchInfo>> SubmitAsync(IEnumerable<InferenceTask> tasks, IRecordSink sink, CancellationToken ct)
    {
        var submitted = new List<BatchInfo>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var folder = _options.WorkFolder ?? Path.GetTempPath();
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, $"lpp-batch-{Guid.NewGuid():N}.jsonl");
        var keys = new List<string>();
        long bytes = 0;
        long resubmitted = 0;
        var file = new FileStream(path, FileMode.Create, FileAccess.ReadWrite, FileShare.Read, 1 << 16);
        try
        {
            // Prompts, bodies and keys are built in parallel a chunk at a time (the CPU-bound part), then checked
            // against the cache and the ledger and written in task order, so the files are the same as built one by one.
            var built = new (string? Key, string? Body)[BuildChunk];
            foreach (var chunk in tasks.Chunk(BuildChunk))
            {
                ct.ThrowIfCancellationRequested();
                for (var i = 0; i < chunk.Length; i++)
                {
                    built[i] = default;
                }

                Parallel.For(0, chunk.Length, new ParallelOptions { CancellationToken = ct }, i =>
                {
                    if (!sink.Contains(chunk[i].RecordId))
                    {
                        built[i] = Build(chunk[i]);
                    }
                });
                // One query each to the cache and the ledger for the whole chunk.
                var chunkKeys = new List<string>(chunk.Length);
                for (var i = 0; i < chunk.Length; i++)
                {
                    if (built[i].Key is { } k)
                    {
                        chunkKeys.Add(k);
                    }
                }

                var cached = _cache.Present(chunkKeys);
                var inLedger = _ledger.Requests(chunkKeys);
                for (var i = 0; i < chunk.Length; i++)
                {
                    if (built[i] is not (string key, string body) || !seen.Add(key) || cached.Contains(key))
                    {
                        continue;
                    }

                    if (inLedger.TryGetValue(key, out var earlier))
                    {
                        if (earlier.ErrorKind is not (Resubmit or "transport"))
                        {
                            continue; // running, or refused (written with its error)
                        }

                        resubmitted++;
                    }

                    var size = (long)System.Text.Encoding.UTF8.GetByteCount(body) + key.Length + 128;
                    if (keys.Count > 0 && (keys.Count >= _options.BatchSize || keys.Count >= _transport.MaxRequests || bytes + size > _transport.MaxBytes))
                    {
                        submitted.Add(await SubmitFileAsync(file, path, keys, ct).ConfigureAwait(false));
                        file.SetLength(0);
                        keys.Clear();
                        bytes = 0;
                    }

                    bytes += _transport.WriteRequest(file, key, body, keys.Count == 0);
                    keys.Add(key);
                }
            }

            if (keys.Count > 0)
            {
                submitted.Add(await SubmitFileAsync(file, path, keys, ct).ConfigureAwait(false));
            }
        }
        finally
        {
            await file.DisposeAsync().ConfigureAwait(false);
            File.Delete(path);
        }

        Progress.AddResubmitted(resubmitted);
        return submitted;
    }

    /// <summary>A task's request body and cache key, built as the synchronous path builds them; null when its media is refused (the writing step records why).</summary>
    private (string? Key, string? Body) Build(InferenceTask task)
    {
        ChatPrompt prompt;
        try
        {
            prompt = _prompts.Build(task.Item, task.Concept);
        }
        catch (Exception e) when (e is MediaRefusedException or IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            return default;
        }

        var request = new ChatRequest(prompt, _inference.Decoding);
        return (CachingChatProvider.Key(_provider, request), request.Body(_provider.Codec));
    }

    /// <summary>
    /// Records the batch under a new client-side name, uploads its file, records the uploaded file's id and the time
    /// of the creation request, then creates it under that name. A creation whose answer is lost (a transient error,
    /// or the run killed) is looked up (<see cref="LookUpAsync"/>) before any second attempt, so a batch is never
    /// created twice.
    /// </summary>
    private async Task<BatchInfo> SubmitFileAsync(FileStream file, string path, List<string> keys, CancellationToken ct)
    {
        await file.FlushAsync(ct).ConfigureAwait(false);
        var intent = new BatchInfo
        {
            Id = "lpp-" + Guid.NewGuid().ToString("N"),
            Provider = _provider.Name,
            Endpoint = _provider.Endpoint,
            Model = _provider.Model,
            Status = BatchLedger.Submitting,
            Requests = keys.Count,
            Submitted = _time.GetUtcNow(),
        };
        _ledger.AddBatch(intent, keys);
        string id;
        try
        {
            // A retried upload whose first answer was lost can leave a file at the provider whose id never reached us.
            var inputFile = await WithRetriesAsync(token => _transport.UploadAsync(path, keys.Count, intent.Id, token), ct).ConfigureAwait(false);
            intent = intent with { InputFile = inputFile };
            var tried = false;
            id = await WithRetriesAsync(
                async token =>
                {
                    if (tried && await LookUpAsync(intent, token).ConfigureAwait(false) is { } created)
                    {
                        return created;
                    }

                    tried = true;
                    intent = intent with { Status = BatchLedger.Creating, Submitted = _time.GetUtcNow() };
                    _ledger.SetCreating(intent.Id, inputFile, intent.Submitted);
                    return await _transport.CreateAsync(path, inputFile, keys.Count, intent.Id, token).ConfigureAwait(false);
                },
                ct).ConfigureAwait(false);
        }
        catch (ProviderException e) when (e.Kind != ProviderErrorKind.Transient)
        {
            _ledger.Forget(intent); // refused: nothing was created, and the next run submits its requests again
            throw new InferenceStoppedException($"{_provider.Name} refused the batch of {keys.Count.ToString(CultureInfo.InvariantCulture)} requests ({e.Message})");
        }
        catch (ProviderException e)
        {
            throw new InferenceStoppedException($"cannot submit the batch of {keys.Count.ToString(CultureInfo.InvariantCulture)} requests ({e.Message}); the next run looks it up as {intent.Id} before submitting again");
        }

        _ledger.Confirm(intent.Id, id, "submitted");
        Progress.AddBatch(keys.Count);
        _log(string.Create(CultureInfo.InvariantCulture, $"batch: submitted {id} ({keys.Count} requests); submitted {Progress.Batches} batches, {Progress.Requests} requests"));
        return intent with { Id = id, Status = "submitted" };
    }

    /// <summary>
    /// The id of a batch whose creation was asked for (<see cref="BatchInfo.Submitted"/>) but never confirmed, found in
    /// the provider's list by its name or its uploaded file; null only when a listing taken at least
    /// <see cref="BatchDefaults.ListLag"/> after that request does not show it either (a list can lag a batch just
    /// created: trusting a first listing taken too soon would create and pay for the batch twice).
    /// </summary>
    private async Task<string?> LookUpAsync(BatchInfo batch, CancellationToken ct)
    {
        var listed = _time.GetUtcNow();
        if (await _transport.FindAsync(batch.Id, batch.InputFile, batch.Submitted, ct).ConfigureAwait(false) is { } id)
        {
            return id;
        }

        if (listed - batch.Submitted >= BatchDefaults.ListLag)
        {
            return null;
        }

        var now = _time.GetUtcNow();
        var wait = batch.Submitted + BatchDefaults.ListLag - now;
        wait = wait < TimeSpan.Zero ? TimeSpan.Zero : wait < BatchDefaults.ListLag ? wait : BatchDefaults.ListLag; // a clock set back waits no longer than the lag
        _log(string.Create(CultureInfo.InvariantCulture,
            $"batch: {batch.Id} is not in {_provider.Name}'s batch list yet; a list can lag a batch just created, so it is listed again at {(now + wait).UtcDateTime:HH:mm:ss}Z (in {(long)Math.Ceiling(wait.TotalSeconds)} s, {BatchDefaults.ListLag.TotalMinutes} min after its creation was asked for) before its {batch.Requests} requests are submitted again"));
        await Task.Delay(wait, _time, ct).ConfigureAwait(false);
        return await _transport.FindAsync(batch.Id, batch.InputFile, batch.Submitted, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// Resolves the batches an interrupted run recorded but never saw created. One stopped before its creation was
    /// asked for was never created, and its requests are submitted again; one whose creation was asked for is looked up
    /// (<see cref="LookUpAsync"/>): found, it is polled like any other; not found, its requests are submitted again.
    /// </summary>
    private async Task<List<BatchInfo>> ResolveAsync(List<BatchInfo> pending, CancellationToken ct)
    {
        var resolved = new List<BatchInfo>(pending.Count);
        foreach (var batch in pending)
        {
            if (batch.Status == BatchLedger.Submitting)
            {
                _ledger.Forget(batch);
                _log(string.Create(CultureInfo.InvariantCulture, $"batch: {batch.Id} of an interrupted run was never created (the run stopped before asking {_provider.Name} to create it); its {batch.Requests} requests are submitted again"));
                continue;
            }

            if (batch.Status != BatchLedger.Creating)
            {
                resolved.Add(batch);
                continue;
            }

            string? id;
            try
            {
                id = await WithRetriesAsync(token => LookUpAsync(batch, token), ct).ConfigureAwait(false);
            }
            catch (ProviderException e)
            {
                throw new InferenceStoppedException($"cannot tell whether batch {batch.Id} of an interrupted run was created ({e.Message}); nothing is submitted until it can be looked up");
            }

            if (id is null)
            {
                _ledger.Forget(batch);
                _log(string.Create(CultureInfo.InvariantCulture, $"batch: {batch.Id} of an interrupted run was never created ({_provider.Name} lists no batch by that name or file, {BatchDefaults.ListLag.TotalMinutes} min after its creation was asked for); its {batch.Requests} requests are submitted again"));
                continue;
            }

            _ledger.Confirm(batch.Id, id, "submitted");
            _log(string.Create(CultureInfo.InvariantCulture, $"batch: {batch.Id} of an interrupted run was created as {id} ({batch.Requests} requests); polling it"));
            resolved.Add(batch with { Id = id, Status = "submitted" });
        }

        return resolved;
    }

    /// <summary>
    /// Deletes at the provider the files no longer needed (uploaded requests and downloaded results of collected
    /// batches, the upload of a batch never created), once the stored results are made durable; best effort: a
    /// deletion that fails is one line of progress and is tried again by the next run, never a failed run.
    /// </summary>
    private async Task DeleteFilesAsync(CancellationToken ct)
    {
        if (!_transport.DeletesFiles)
        {
            return;
        }

        var files = _ledger.FilesToDelete(_provider.Name, _provider.Endpoint);
        if (files.Count == 0)
        {
            return;
        }

        if (!_ledger.Checkpoint())
        {
            _log($"batch: {files.Count.ToString(CultureInfo.InvariantCulture)} files at {_provider.Name} are kept until the cache database is written through (another process is using it); the next run deletes them");
            return;
        }

        foreach (var file in files)
        {
            try
            {
                await _transport.DeleteFileAsync(file, ct).ConfigureAwait(false);
                _ledger.FileDeleted(_provider.Name, _provider.Endpoint, file);
                Progress.AddDeletedFile();
            }
            catch (ProviderException e)
            {
                _log($"batch: cannot delete file {file} at {_provider.Name} ({e.Message}); the next run tries again");
            }
        }
    }

    /// <summary>Polls the batches until each is finished, collecting each as it finishes.</summary>
    private async Task WaitAndCollectAsync(List<BatchInfo> batches, CancellationToken ct)
    {
        var open = new List<BatchInfo>(batches);
        while (true)
        {
            for (var i = open.Count - 1; i >= 0; i--)
            {
                var batch = open[i];
                BatchState state;
                try
                {
                    state = await WithRetriesAsync(token => _transport.PollAsync(batch.Id, token), ct).ConfigureAwait(false);
                }
                catch (ProviderException e) when (e.StatusCode is 401 or 403)
                {
                    throw new InferenceStoppedException($"{_provider.Name} rejected the poll of batch {batch.Id} ({e.Message})");
                }
                catch (ProviderException e)
                {
                    _log($"batch: {batch.Id}: cannot poll ({e.Message}); trying again in {_options.PollInterval.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s");
                    continue;
                }

                if (state.Phase == BatchPhase.Running)
                {
                    _ledger.SetStatus(batch.Id, state.Status, state.Message);
                    continue;
                }

                if (await CollectAsync(batch, state, ct).ConfigureAwait(false))
                {
                    await DeleteFilesAsync(ct).ConfigureAwait(false);
                }

                open.RemoveAt(i);
            }

            Progress.SetRunning(open.Count);
            if (open.Count == 0)
            {
                return;
            }

            var oldest = _time.GetUtcNow() - open.Min(b => b.Submitted);
            _log(string.Create(CultureInfo.InvariantCulture,
                $"batch: running {open.Count}, done {Progress.Done}, failed {Progress.FailedBatches}; answers {Progress.Answers}, errors {Progress.Errors}; oldest submitted {(long)oldest.TotalHours:00}:{oldest.Minutes:00}:{oldest.Seconds:00} ago"));
            await Task.Delay(_options.PollInterval, _time, ct).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Stores a finished batch's answers in the cache and its errors in the ledger, then marks it collected (and its
    /// files at the provider as no longer needed); false when its results could not be read (a rerun reads them again).
    /// </summary>
    private async Task<bool> CollectAsync(BatchInfo batch, BatchState state, CancellationToken ct)
    {
        var keys = _ledger.Keys(batch.Id);
        var answered = new HashSet<string>(StringComparer.Ordinal);
        var errors = new Dictionary<string, (string Kind, string Error)>(StringComparer.Ordinal);
        var reasons = new Dictionary<string, long>(StringComparer.Ordinal);
        var pending = new List<(string Key, string Body)>(CacheChunk);
        void Store(List<(string Key, string Body)> answers)
        {
            _cache.PutMany(answers, _provider.Name, _provider.Model, _time.GetUtcNow());
            answers.Clear();
        }

        // Results are read a chunk at a time, their answers decoded in parallel (the CPU-bound part), then counted
        // and stored in reading order, so duplicates and errors are judged exactly as one by one.
        var chunk = new List<BatchResult>(CacheChunk);
        var decoded = new (ProviderResponse? Parsed, ProviderException? Error)[CacheChunk];
        void Process()
        {
            Parallel.For(0, chunk.Count, i =>
            {
                decoded[i] = default;
                if (chunk[i] is { Key: not null, Body: { } body })
                {
                    try
                    {
                        decoded[i] = (_provider.Codec.Decode(body), null);
                    }
                    catch (ProviderException e)
                    {
                        decoded[i] = (null, e);
                    }
                }
            });
            for (var i = 0; i < chunk.Count; i++)
            {
                var result = chunk[i];
                if (result.Key is null)
                {
                    Progress.AddMalformed();
                    Count(reasons, result.Error ?? "malformed line");
                    continue;
                }

                if (!keys.Contains(result.Key))
                {
                    Progress.AddUnknown();
                    Count(reasons, "a result for a request not in this batch");
                    continue;
                }

                if (answered.Contains(result.Key))
                {
                    Progress.AddDuplicate();
                    Count(reasons, "a second result for one request");
                    continue;
                }

                if (result.Body is { } body)
                {
                    if (decoded[i] is { Parsed: { } parsed })
                    {
                        pending.Add((result.Key, body));
                        Progress.AddAnswer(parsed.PromptTokens, parsed.OutputTokens);
                        answered.Add(result.Key);
                        errors.Remove(result.Key);
                    }
                    else
                    {
                        errors[result.Key] = ("transport", "unreadable batch answer: " + decoded[i].Error!.Message);
                    }

                    continue;
                }

                var refused = result.Status is >= 400 and < 500 and not 408 and not 409 and not 425 and not 429;
                errors[result.Key] = (refused ? "refused" : "transport", "batch: " + (result.Error ?? "no answer"));
                Count(reasons, result.Error ?? "no answer");
            }

            chunk.Clear();
            Store(pending);
        }

        try
        {
            await foreach (var result in _transport.ResultsAsync(state, ct).ConfigureAwait(false))
            {
                chunk.Add(result);
                if (chunk.Count >= CacheChunk)
                {
                    Process();
                }
            }

            Process();
        }
        catch (ProviderException e)
        {
            Process(); // the results read before the failure are kept, as one by one
            _log($"batch: {batch.Id}: cannot read the results ({e.Message}); a rerun reads them again");
            return false;
        }

        Store(pending);

        foreach (var key in keys)
        {
            if (answered.Contains(key) || errors.ContainsKey(key))
            {
                continue;
            }

            errors[key] = state.Phase switch
            {
                BatchPhase.Failed => ("refused", $"batch {batch.Id} failed: {state.Message ?? "no reason given"}"),
                _ => (Resubmit, $"batch {batch.Id} ended ({state.Status}) without an answer to this request"),
            };
        }

        _toResubmit += errors.Count(e => e.Value.Kind is Resubmit or "transport");
        _ledger.SetErrors(errors.Select(e => (e.Key, e.Value.Kind, e.Value.Error)));
        _ledger.SetCollected(batch, state.Status, state.Message, _transport.DeletesFiles ? [.. new[] { batch.InputFile, state.OutputFile, state.ErrorFile }.OfType<string>().Distinct(StringComparer.Ordinal)] : []);
        Progress.AddErrors(errors.Count);
        Progress.AddDone(state.Phase == BatchPhase.Failed);
        _log(string.Create(CultureInfo.InvariantCulture,
            $"batch: {batch.Id} {state.Status}: {answered.Count} answers, {errors.Count} without an answer{(state.Message is null ? string.Empty : " (" + state.Message + ")")}"));
        foreach (var (reason, n) in reasons.OrderByDescending(r => r.Value).Take(5))
        {
            _log(string.Create(CultureInfo.InvariantCulture, $"batch: {batch.Id}: {n} x {reason}"));
        }

        return true;
    }

    private static void Count(Dictionary<string, long> reasons, string reason)
    {
        if (reasons.Count < 50 || reasons.ContainsKey(reason))
        {
            reasons[reason] = reasons.GetValueOrDefault(reason) + 1;
        }
    }

    /// <summary>Calls <paramref name="call"/>, retrying transient errors with exponential backoff (at most MaxRetries times).</summary>
    private async Task<T> WithRetriesAsync<T>(Func<CancellationToken, Task<T>> call, CancellationToken ct)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return await call(ct).ConfigureAwait(false);
            }
            catch (ProviderException e) when (e.Kind == ProviderErrorKind.Transient && attempt < _inference.MaxRetries)
            {
                var backoff = _inference.RetryBaseDelay * Math.Pow(2, attempt);
                var delay = e.RetryAfter ?? backoff;
                await Task.Delay(delay < _inference.MaxRetryDelay ? delay : _inference.MaxRetryDelay, _time, ct).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// The provider as the writing step sees it: a request a batch could not answer fails with that batch's error
    /// (without a call); any other request (a correction after an invalid answer) goes to the synchronous provider.
    /// </summary>
    private sealed class BatchAnswers(IChatProvider inner, BatchLedger ledger) : IChatProvider
    {
        public string Name => inner.Name;

        public string Model => inner.Model;

        public string Endpoint => inner.Endpoint;

        public IChatCodec Codec => inner.Codec;

        public Task<ChatAnswer> CompleteAsync(ChatRequest request, CancellationToken cancellationToken)
        {
            if (ledger.Request(CachingChatProvider.Key(inner, request)) is { ErrorKind: { } kind, Error: var error })
            {
                throw new ProviderException(kind == "refused" ? ProviderErrorKind.Permanent : ProviderErrorKind.Transient, error ?? kind) { Final = true };
            }

            return inner.CompleteAsync(request, cancellationToken);
        }
    }
}
