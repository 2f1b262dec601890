namespace Lpp.Inference;

/// <summary>How a run calls its provider: concurrency, rate limits, retries and timeouts.</summary>
public sealed record InferenceOptions
{
    /// <summary>Requests in flight at once, 1-1024.</summary>
    /// <value>4.</value>
    public int Parallel { get; init; } = InferenceDefaults.Parallel;

    /// <summary>Retries of a failed call (429, 5xx, timeouts, broken bodies) and of an invalid answer, each 0-10.</summary>
    /// <value>3.</value>
    public int MaxRetries { get; init; } = InferenceDefaults.MaxRetries;

    /// <summary>Client-side limit of requests per minute, or null for none.</summary>
    /// <value>null.</value>
    public int? RequestsPerMinute { get; init; }

    /// <summary>Client-side limit of tokens per minute (prompt estimate plus output), or null for none.</summary>
    /// <value>null.</value>
    public int? TokensPerMinute { get; init; }

    /// <summary>Time allowed for one attempt before it counts as a timeout and is retried.</summary>
    /// <value>120 seconds.</value>
    public TimeSpan AttemptTimeout { get; init; } = InferenceDefaults.AttemptTimeout;

    /// <summary>First retry delay; later ones double, with jitter.</summary>
    /// <value>1 second.</value>
    public TimeSpan RetryBaseDelay { get; init; } = InferenceDefaults.RetryBaseDelay;

    /// <summary>Longest retry delay, Retry-After included.</summary>
    /// <value>120 seconds.</value>
    public TimeSpan MaxRetryDelay { get; init; } = InferenceDefaults.MaxRetryDelay;

    /// <summary>When the model refuses logprobs: true continues without them, false stops the run with the provider's message.</summary>
    /// <value>false.</value>
    public bool AllowNoLogprobs { get; init; }

    /// <summary>Seed of the retry jitter.</summary>
    /// <value>0.</value>
    public int Seed { get; init; }

    /// <summary>Decoding settings.</summary>
    public DecodingOptions Decoding { get; init; } = new();

    /// <summary>Checks every option, naming the first one out of range.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public void Validate()
    {
        if (Parallel is < 1 or > 1024)
        {
            throw new ArgumentOutOfRangeException(nameof(Parallel), Parallel, "parallel must be in [1, 1024]");
        }

        if (MaxRetries is < 0 or > 10)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxRetries), MaxRetries, "max retries must be in [0, 10]");
        }

        if (RequestsPerMinute is < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(RequestsPerMinute), RequestsPerMinute, "requests per minute must be at least 1");
        }

        if (TokensPerMinute is < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(TokensPerMinute), TokensPerMinute, "tokens per minute must be at least 1");
        }

        if (AttemptTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(AttemptTimeout), AttemptTimeout, "attempt timeout must be positive");
        }

        if (RetryBaseDelay < TimeSpan.Zero || MaxRetryDelay < RetryBaseDelay)
        {
            throw new ArgumentOutOfRangeException(nameof(RetryBaseDelay), RetryBaseDelay, "retry delays must satisfy 0 <= base <= max");
        }

        ArgumentNullException.ThrowIfNull(Decoding);
        Decoding.Validate();
    }
}
