using System.Globalization;
using Polly;
using Polly.Retry;

namespace Lpp.Inference;

/// <summary>
/// Runs (item, concept) tasks against a provider and writes one decision record per task, never dropping one:
/// records already in the output are skipped; a cached response is reused without a call (the provider is wrapped in
/// a <see cref="CachingChatProvider"/> over its retries, rate gates and timeout); a call is limited by the
/// client-side rate gates and retried with exponential backoff and jitter on 429 (honouring Retry-After), 5xx,
/// timeouts and broken bodies (never on 400/401/403); an answer that breaks the output contract is asked again
/// (deterministically, with the reason) at most <see cref="InferenceOptions.MaxRetries"/> times and then written with
/// <c>outcome: null</c> and the reason; a call that still fails is written with its error.
/// </summary>
public sealed class InferenceRunner
{
    private readonly IChatProvider _provider;
    private readonly InferenceOptions _options;
    private readonly PromptBuilder _prompts;
    private readonly IChatProvider _chain;
    private readonly TimeProvider _time;
    private readonly ResiliencePipeline _pipeline;
    private readonly RateGate? _requests;
    private readonly RateGate? _tokens;
    private readonly Random _jitter;
    private readonly Lock _jitterLock = new();
    private volatile bool _logprobsOff;
    private volatile InferenceStoppedException? _stop;

    /// <summary>Creates a runner.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public InferenceRunner(IChatProvider provider, InferenceOptions options, PromptBuilder prompts, ResponseCache? cache = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(provider);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(prompts);
        options.Validate();
        _provider = provider;
        _options = options;
        _prompts = prompts;
        _time = time ?? TimeProvider.System;
        IChatProvider metered = new Metered(this);
        _chain = cache is null ? metered : new CachingChatProvider(metered, cache, _time);
        _jitter = new Random(options.Seed);
        _requests = options.RequestsPerMinute is { } rpm ? new RateGate(rpm, _time) : null;
        _tokens = options.TokensPerMinute is { } tpm ? new RateGate(tpm, _time) : null;
        _pipeline = BuildPipeline();
    }

    /// <summary>The counters of the current (or last) run.</summary>
    public InferenceSummary Summary { get; private set; } = new();

    /// <summary>Runs every task (streamed: memory does not grow with their number) and returns the counters.</summary>
    /// <exception cref="InferenceStoppedException">The run cannot go on (logprobs refused and required, credentials or model rejected).</exception>
    public async Task<InferenceSummary> RunAsync(IEnumerable<InferenceTask> tasks, IRecordSink sink, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tasks);
        ArgumentNullException.ThrowIfNull(sink);
        var summary = Summary = new InferenceSummary();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        try
        {
            await Parallel.ForEachAsync(
                tasks,
                new ParallelOptions { MaxDegreeOfParallelism = _options.Parallel, CancellationToken = stop.Token },
                async (task, ct) =>
                {
                    try
                    {
                        await ProcessAsync(task, sink, summary, ct).ConfigureAwait(false);
                    }
                    catch (InferenceStoppedException e)
                    {
                        _stop ??= e;
                        await stop.CancelAsync().ConfigureAwait(false);
                    }
                }).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (_stop is not null)
        {
        }

        return _stop is { } stopped ? throw stopped : summary;
    }

    private async Task ProcessAsync(InferenceTask task, IRecordSink sink, InferenceSummary summary, CancellationToken ct)
    {
        summary.AddTask();
        var id = task.RecordId;
        if (sink.Contains(id))
        {
            summary.AddSkipped();
            return;
        }

        ChatPrompt prompt;
        try
        {
            prompt = _prompts.Build(task.Item, task.Concept);
        }
        catch (MediaRefusedException e)
        {
            Write(sink, summary, task, null, null, null, new RecordError(RecordErrorKind.Media, e.Message));
            return;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            Write(sink, summary, task, null, null, null, new RecordError(RecordErrorKind.Media, $"cannot read the item's media ({e.Message})"));
            return;
        }

        string? raw = null;
        ProviderResponse? response = null;
        ValidatedAnswer? answer = null;
        RecordError? error = null;
        for (var attempt = 0; ; attempt++)
        {
            var decoding = _logprobsOff ? _options.Decoding with { Logprobs = false } : _options.Decoding;
            try
            {
                (raw, response) = await GetAsync(prompt, decoding, summary, ct).ConfigureAwait(false);
            }
            catch (ProviderException e) when (e.Kind == ProviderErrorKind.LogprobsRefused && decoding.Logprobs)
            {
                if (!_options.AllowNoLogprobs)
                {
                    throw new InferenceStoppedException($"{_provider.Name} model {_provider.Model} refuses logprobs ({e.Message}); pass --allow-no-logprobs to continue without them");
                }

                _logprobsOff = true;
                attempt--;
                continue;
            }
            catch (ProviderException e) when (e.StatusCode is 401 or 403 or 404)
            {
                throw new InferenceStoppedException($"{_provider.Name} rejected the request ({e.Message})");
            }
            catch (ProviderException e)
            {
                error = new RecordError(e.Kind == ProviderErrorKind.Transient ? RecordErrorKind.Transport : RecordErrorKind.Refused, e.Message);
                break;
            }

            answer = AnswerValidator.Validate(response.Content, prompt.ChainOfThought);
            if (answer.IsValid || attempt >= _options.MaxRetries)
            {
                break;
            }

            summary.AddAnswerRetry();
            prompt = prompt.WithCorrection(response.Content ?? string.Empty, answer.Error!);
        }

        Write(sink, summary, task, raw, response, answer, error);
    }

    private void Write(IRecordSink sink, InferenceSummary summary, InferenceTask task, string? raw, ProviderResponse? response, ValidatedAnswer? answer, RecordError? error)
    {
        var withoutLogprobs = response is not null && response.Tokens is null && _logprobsOff;
        var reason = error ?? (answer is { IsValid: false } ? new RecordError(RecordErrorKind.Invalid, $"invalid answer after {_options.MaxRetries.ToString(CultureInfo.InvariantCulture)} retries: {answer.Error}") : null);
        var record = RecordBuilder.Build(task, _provider, response, answer, _prompts.ChainOfThought);
        sink.Write(record, reason, raw);
        summary.AddWritten(reason, withoutLogprobs);
    }

    /// <summary>Asks the chain (cache, then retries and rate limits, then the provider) and counts what happened.</summary>
    private async Task<(string Raw, ProviderResponse Response)> GetAsync(ChatPrompt prompt, DecodingOptions decoding, InferenceSummary summary, CancellationToken ct)
    {
        var answer = await _chain.CompleteAsync(new ChatRequest(prompt, decoding), ct).ConfigureAwait(false);
        if (answer.FromCache)
        {
            summary.AddCacheHit();
        }

        return (answer.Raw, answer.Response);
    }

    /// <summary>One call through the retry pipeline, the rate gates and the attempt timeout, counted in the summary.</summary>
    private async Task<ChatAnswer> CallAsync(ChatRequest request, CancellationToken ct)
    {
        var summary = Summary;
        var estimate = (request.Body(_provider.Codec).Length / 4.0) + Math.Min(request.Decoding.MaxOutputTokens, 1000);
        var answer = await _pipeline.ExecuteAsync(
            static async (state, token) => await state.Runner.AttemptAsync(state.Request, state.Estimate, state.Summary, token).ConfigureAwait(false),
            (Runner: this, Request: request, Estimate: estimate, Summary: summary),
            ct).ConfigureAwait(false);
        summary.AddUsage(answer.Response.PromptTokens, answer.Response.OutputTokens);
        if (answer.Response.PromptTokens is { } p)
        {
            _tokens?.Adjust(p + (answer.Response.OutputTokens ?? 0) - estimate);
        }

        return answer;
    }

    private async ValueTask<ChatAnswer> AttemptAsync(ChatRequest request, double estimate, InferenceSummary summary, CancellationToken ct)
    {
        if (_requests is not null)
        {
            await _requests.WaitAsync(1, ct).ConfigureAwait(false);
        }

        if (_tokens is not null)
        {
            await _tokens.WaitAsync(estimate, ct).ConfigureAwait(false);
        }

        summary.AddCall();
        using var deadline = new CancellationTokenSource(_options.AttemptTimeout, _time);
        using var attempt = CancellationTokenSource.CreateLinkedTokenSource(ct, deadline.Token);
        try
        {
            return await _provider.CompleteAsync(request, attempt.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException e) when (!ct.IsCancellationRequested)
        {
            throw new ProviderException(ProviderErrorKind.Transient, $"no answer within {_options.AttemptTimeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s", inner: e);
        }
    }

    private ResiliencePipeline BuildPipeline()
    {
        var builder = new ResiliencePipelineBuilder { TimeProvider = _time };
        if (_options.MaxRetries > 0)
        {
            builder.AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = _options.MaxRetries,
                ShouldHandle = new PredicateBuilder().Handle<ProviderException>(e => e.Kind == ProviderErrorKind.Transient && !e.Final),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = _options.RetryBaseDelay,
                MaxDelay = _options.MaxRetryDelay,
                Randomizer = NextJitter,
                DelayGenerator = args => new ValueTask<TimeSpan?>(
                    args.Outcome.Exception is ProviderException { RetryAfter: { } after }
                        ? (after < _options.MaxRetryDelay ? after : _options.MaxRetryDelay)
                        : null),
                OnRetry = _ =>
                {
                    Summary.AddRetry();
                    return default;
                },
            });
        }

        return builder.Build();
    }

    private double NextJitter()
    {
        lock (_jitterLock)
        {
            return _jitter.NextDouble();
        }
    }

    /// <summary>The runner's provider behind its retries, rate gates and attempt timeout, as a decorator the cache wraps.</summary>
    private sealed class Metered(InferenceRunner runner) : IChatProvider
    {
        public string Name => runner._provider.Name;

        public string Model => runner._provider.Model;

        public string Endpoint => runner._provider.Endpoint;

        public IChatCodec Codec => runner._provider.Codec;

        public Task<ChatAnswer> CompleteAsync(ChatRequest request, CancellationToken cancellationToken) => runner.CallAsync(request, cancellationToken);
    }
}
