namespace Lpp;

/// <summary>What the LLM answered and the signals that came with the answer. Every signal may be absent (null).</summary>
public sealed record LlmOutput
{
    /// <summary>The parsed label, or null when the answer could not be parsed.</summary>
    public string? Outcome { get; init; }

    /// <summary>The answer text before parsing, when kept.</summary>
    public string? RawAnswer { get; init; }

    /// <summary>Self-reported confidence in [0, 100], or null.</summary>
    public double? VerbalizedConfidence { get; init; }

    /// <summary>Self-reported confidence band, or null.</summary>
    public ConfidenceBand? Band { get; init; }

    /// <summary>The alternatives returned at the decision token (up to 20), or null when the provider gave none.</summary>
    public IReadOnlyList<TokenLogprob>? OutcomeTopLogprobs { get; init; }

    /// <summary>The chain-of-thought tokens with their alternatives, or null.</summary>
    public IReadOnlyList<ReasoningToken>? ReasoningTokens { get; init; }

    /// <summary>An output with no answer and no signals (the record had no <c>output</c> object).</summary>
    public static LlmOutput Empty { get; } = new();
}
