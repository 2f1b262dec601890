using System.Collections.Concurrent;

namespace Lpp.Inference;

/// <summary>What a run did; counters are updated concurrently and read at the end (or for progress).</summary>
public sealed class InferenceSummary
{
    private long _tasks;
    private long _skipped;
    private long _written;
    private long _failed;
    private long _invalid;
    private long _calls;
    private long _cacheHits;
    private long _retries;
    private long _answerRetries;
    private long _promptTokens;
    private long _outputTokens;
    private long _withoutLogprobs;
    private long _transport;
    private long _refused;
    private long _media;
    private readonly ConcurrentDictionary<string, long> _transportReasons = new(StringComparer.Ordinal);

    /// <summary>Tasks seen (item x concept pairs).</summary>
    public long Tasks => Interlocked.Read(ref _tasks);

    /// <summary>Tasks whose record was already in the output (a resumed run).</summary>
    public long Skipped => Interlocked.Read(ref _skipped);

    /// <summary>Records written by this run (failures included).</summary>
    public long Written => Interlocked.Read(ref _written);

    /// <summary>Records written without an answer: the call failed (transport, refused) or the item's media was refused.</summary>
    public long Failed => Interlocked.Read(ref _failed);

    /// <summary>Records without an answer because the provider could not be reached or read (a rerun calls again).</summary>
    public long Transport => Interlocked.Read(ref _transport);

    /// <summary>Records without an answer because the provider refused the request.</summary>
    public long Refused => Interlocked.Read(ref _refused);

    /// <summary>Records without an answer because the item's media was refused (nothing sent).</summary>
    public long Media => Interlocked.Read(ref _media);

    /// <summary>
    /// The distinct transport failure messages with their counts (at most <see cref="MaxReasons"/> are kept; later new
    /// ones are counted under the key "other").
    /// </summary>
    public IReadOnlyDictionary<string, long> TransportReasons => _transportReasons;

    /// <summary>How many distinct transport messages are kept.</summary>
    public const int MaxReasons = 20;

    /// <summary>Records whose answer stayed invalid after its retries (outcome null, with the reason).</summary>
    public long Invalid => Interlocked.Read(ref _invalid);

    /// <summary>Requests sent to the provider (every attempt counts).</summary>
    public long Calls => Interlocked.Read(ref _calls);

    /// <summary>Responses taken from the cache instead of the provider.</summary>
    public long CacheHits => Interlocked.Read(ref _cacheHits);

    /// <summary>Retried calls (429, 5xx, timeouts, broken bodies).</summary>
    public long Retries => Interlocked.Read(ref _retries);

    /// <summary>Requests repeated because the answer broke the output contract.</summary>
    public long AnswerRetries => Interlocked.Read(ref _answerRetries);

    /// <summary>Prompt tokens billed by the provider over this run's calls.</summary>
    public long PromptTokens => Interlocked.Read(ref _promptTokens);

    /// <summary>Output tokens billed by the provider over this run's calls.</summary>
    public long OutputTokens => Interlocked.Read(ref _outputTokens);

    /// <summary>Records written without logprobs because the model refused them (with logprobs optional).</summary>
    public long WithoutLogprobs => Interlocked.Read(ref _withoutLogprobs);

    internal void AddTask() => Interlocked.Increment(ref _tasks);

    internal void AddSkipped() => Interlocked.Increment(ref _skipped);

    internal void AddWritten(RecordError? error, bool withoutLogprobs)
    {
        Interlocked.Increment(ref _written);
        if (error is { NoAnswer: true })
        {
            Interlocked.Increment(ref _failed);
        }

        switch (error?.Kind)
        {
            case RecordErrorKind.Invalid:
                Interlocked.Increment(ref _invalid);
                break;
            case RecordErrorKind.Transport:
                Interlocked.Increment(ref _transport);
                var key = _transportReasons.ContainsKey(error.Message) || _transportReasons.Count < MaxReasons ? error.Message : "other";
                _transportReasons.AddOrUpdate(key, 1, static (_, n) => n + 1);
                break;
            case RecordErrorKind.Refused:
                Interlocked.Increment(ref _refused);
                break;
            case RecordErrorKind.Media:
                Interlocked.Increment(ref _media);
                break;
        }

        if (withoutLogprobs)
        {
            Interlocked.Increment(ref _withoutLogprobs);
        }
    }

    internal void AddCall() => Interlocked.Increment(ref _calls);

    internal void AddCacheHit() => Interlocked.Increment(ref _cacheHits);

    internal void AddRetry() => Interlocked.Increment(ref _retries);

    internal void AddAnswerRetry() => Interlocked.Increment(ref _answerRetries);

    internal void AddUsage(long? prompt, long? output)
    {
        Interlocked.Add(ref _promptTokens, prompt ?? 0);
        Interlocked.Add(ref _outputTokens, output ?? 0);
    }
}
