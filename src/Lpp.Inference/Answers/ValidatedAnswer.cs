namespace Lpp.Inference;

/// <summary>An answer checked against the output contract.</summary>
public sealed record ValidatedAnswer
{
    /// <summary>The outcome 0-3, or null when the answer is invalid.</summary>
    public int? Outcome { get; init; }

    /// <summary><c>p_correct</c> snapped to a multiple of 5 in [0, 100], or null.</summary>
    public int? PCorrect { get; init; }

    /// <summary>The band, or null.</summary>
    public ConfidenceBand? Band { get; init; }

    /// <summary>The reasoning steps (chain of thought only), or null.</summary>
    public IReadOnlyList<ReasoningStep>? Steps { get; init; }

    /// <summary>Why the answer is invalid, or null when it is valid.</summary>
    public string? Error { get; init; }

    /// <summary>Byte offset of the first character of the <c>outcome</c> value in the UTF-8 content, or -1.</summary>
    public int OutcomeOffset { get; init; } = -1;

    /// <summary>Byte range [start, end) of the <c>reasoning_steps</c> value in the UTF-8 content, or null.</summary>
    public (int Start, int End)? ReasoningSpan { get; init; }

    /// <summary>True when the answer follows the contract.</summary>
    public bool IsValid => Error is null;
}
