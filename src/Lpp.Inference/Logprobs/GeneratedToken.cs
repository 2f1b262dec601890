namespace Lpp.Inference;

/// <summary>One generated token as a provider reported it.</summary>
/// <param name="Token">The token text.</param>
/// <param name="Logprob">Its natural-log probability, or null when the provider sent none.</param>
/// <param name="Bytes">Its UTF-8 bytes when the provider sent them (they may split a character), or null.</param>
/// <param name="TopLogprobs">The alternatives at this position, sorted by descending logprob, or null.</param>
public sealed record GeneratedToken(string Token, double? Logprob, byte[]? Bytes, IReadOnlyList<TokenLogprob>? TopLogprobs);
