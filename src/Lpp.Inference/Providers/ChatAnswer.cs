namespace Lpp.Inference;

/// <summary>An answer: the raw body (what the cache and the records keep) and what it says.</summary>
/// <param name="Raw">The answer body as received.</param>
/// <param name="Response">The body decoded.</param>
public sealed record ChatAnswer(string Raw, ProviderResponse Response)
{
    /// <summary>True when the answer came from the response cache (no call was made).</summary>
    public bool FromCache { get; init; }
}
