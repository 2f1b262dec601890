namespace Lpp;

/// <summary>One alternative returned by a provider at a generated position: its text and natural-log probability.</summary>
/// <param name="Token">The token text as the provider returned it (spaces, quotes and tokenizer markers included).</param>
/// <param name="Logprob">Natural-log probability, at most 0. Values at or below -1000 (providers' floors) mean zero probability.</param>
public readonly record struct TokenLogprob(string Token, double Logprob);
