namespace Lpp;

/// <summary>One generated chain-of-thought token with its own log-probability and the alternatives at its position.</summary>
/// <param name="Token">The generated token text.</param>
/// <param name="Logprob">Natural-log probability of the generated token, at most 0.</param>
/// <param name="TopLogprobs">The alternatives at this position, or null when the provider gave none.</param>
public sealed record ReasoningToken(string Token, double Logprob, IReadOnlyList<TokenLogprob>? TopLogprobs);
