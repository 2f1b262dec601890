namespace Lpp.Inference;

/// <summary>The batch defaults, defined once.</summary>
internal static class BatchDefaults
{
    public const int BatchSize = 50_000;
    public static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(60);
}
