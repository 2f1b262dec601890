namespace Lpp.Inference;

/// <summary>Where a batch stands at the provider, parsed from one poll.</summary>
public sealed record BatchState
{
    /// <summary>The status in the provider's words.</summary>
    public required string Status { get; init; }

    /// <summary>The phase the status means.</summary>
    public required BatchPhase Phase { get; init; }

    /// <summary>Requests finished so far, when the provider says.</summary>
    public long? Completed { get; init; }

    /// <summary>Requests failed so far, when the provider says.</summary>
    public long? Failed { get; init; }

    /// <summary>Why the batch failed (the provider's errors, joined), or null.</summary>
    public string? Message { get; init; }

    /// <summary>Where the answers are (OpenAI: the output file id), or null.</summary>
    public string? OutputFile { get; init; }

    /// <summary>Where the per-request errors are (OpenAI: the error file id), or null.</summary>
    public string? ErrorFile { get; init; }

    /// <summary>The answers carried in the poll body itself (Gemini inline batches), or null.</summary>
    public IReadOnlyList<BatchResult>? Inline { get; init; }
}
