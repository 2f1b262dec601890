namespace Lpp.Inference;

/// <summary>The run defaults, defined once.</summary>
internal static class InferenceDefaults
{
    public const int Parallel = 4;
    public const int MaxRetries = 3;
    public static readonly TimeSpan AttemptTimeout = TimeSpan.FromSeconds(120);
    public static readonly TimeSpan RetryBaseDelay = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(120);
}
