namespace Lpp;

/// <summary>A signal that may come with an LLM's answer, and that a model may rely on.</summary>
public enum TrainingSignal
{
    /// <summary>Alternatives with log-probabilities at the decision token (<c>output.outcome_top_logprobs</c>): families A, B, C.</summary>
    Logprobs,

    /// <summary>Chain-of-thought tokens with their alternatives (<c>output.reasoning_tokens</c>): families D, E.</summary>
    Reasoning,

    /// <summary>Self-reported confidence (<c>output.verbalized_confidence</c>): <c>verbalized_confidence</c>.</summary>
    Verbalized,

    /// <summary>Self-reported confidence band (<c>output.band</c>): <c>band_*</c>.</summary>
    Band,
}
