namespace Lpp.Inference;

/// <summary>The token-level signals of one answer: the alternatives at the outcome token and the reasoning tokens.</summary>
/// <param name="OutcomeTopLogprobs">The alternatives at the outcome token (the chosen token included), or null.</param>
/// <param name="ReasoningTokens">The tokens of the reasoning (thinking tokens and the <c>reasoning_steps</c> value), or null.</param>
/// <param name="Problem">Why the outcome token could not be located, or null.</param>
public sealed record TokenSignals(IReadOnlyList<TokenLogprob>? OutcomeTopLogprobs, IReadOnlyList<ReasoningToken>? ReasoningTokens, string? Problem);
