namespace Lpp.Inference;

/// <summary>How a batch run submits and polls.</summary>
public sealed record BatchOptions
{
    /// <summary>Requests per batch, 1-50,000 (batches are also kept under the provider's size limit).</summary>
    /// <value>50,000.</value>
    public int BatchSize { get; init; } = BatchDefaults.BatchSize;

    /// <summary>Time between two polls of the running batches.</summary>
    /// <value>60 seconds.</value>
    public TimeSpan PollInterval { get; init; } = BatchDefaults.PollInterval;

    /// <summary>Folder for the batch files being written (deleted once submitted), or null for the system's temporary folder.</summary>
    /// <value>null.</value>
    public string? WorkFolder { get; init; }

    /// <summary>Checks every option, naming the first one out of range.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public void Validate()
    {
        if (BatchSize is < 1 or > BatchDefaults.BatchSize)
        {
            throw new ArgumentOutOfRangeException(nameof(BatchSize), BatchSize, "batch size must be in [1, 50000]");
        }

        if (PollInterval <= TimeSpan.Zero || PollInterval > TimeSpan.FromDays(1))
        {
            throw new ArgumentOutOfRangeException(nameof(PollInterval), PollInterval, "poll interval must be in (0, 86400] seconds");
        }
    }
}
