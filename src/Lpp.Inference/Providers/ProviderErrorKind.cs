namespace Lpp.Inference;

/// <summary>How the runner treats a provider error.</summary>
public enum ProviderErrorKind
{
    /// <summary>Worth retrying with backoff: 429, 408, 5xx, timeouts, broken or truncated bodies.</summary>
    Transient,

    /// <summary>Not retried: 400, 401, 403, 404 and other client errors.</summary>
    Permanent,

    /// <summary>The model refuses token logprobs (HTTP 400/403 naming logprobs): stops the run unless logprobs are optional.</summary>
    LogprobsRefused,
}
