namespace Lpp.Inference;

/// <summary>A batch as the ledger keeps it.</summary>
public sealed record BatchInfo
{
    /// <summary>The provider's batch id (<c>batch_...</c>, <c>batches/...</c>).</summary>
    public required string Id { get; init; }

    /// <summary>The provider name.</summary>
    public required string Provider { get; init; }

    /// <summary>The base URL.</summary>
    public required string Endpoint { get; init; }

    /// <summary>The model.</summary>
    public required string Model { get; init; }

    /// <summary>The last status seen, in the provider's words (<c>in_progress</c>, <c>BATCH_STATE_RUNNING</c>...).</summary>
    public required string Status { get; init; }

    /// <summary>Requests in the batch.</summary>
    public required int Requests { get; init; }

    /// <summary>When it was submitted.</summary>
    public required DateTimeOffset Submitted { get; init; }

    /// <summary>True once its results are stored (answers in the cache, failures in the ledger).</summary>
    public bool Collected { get; init; }

    /// <summary>The provider's id of the uploaded file of requests, or null (not uploaded yet, or sent inline).</summary>
    public string? InputFile { get; init; }

    /// <summary>Why the batch failed or expired, or null.</summary>
    public string? Message { get; init; }
}
