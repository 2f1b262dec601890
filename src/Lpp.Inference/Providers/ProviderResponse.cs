namespace Lpp.Inference;

/// <summary>A provider's answer, parsed once at the edge.</summary>
public sealed record ProviderResponse
{
    /// <summary>The answer text (the JSON object asked for), or null when the provider returned none.</summary>
    public string? Content { get; init; }

    /// <summary>The generated tokens with their logprobs, or null when the provider returned none.</summary>
    public IReadOnlyList<GeneratedToken>? Tokens { get; init; }

    /// <summary>Prompt tokens billed, or null when not reported.</summary>
    public long? PromptTokens { get; init; }

    /// <summary>Output tokens billed, or null when not reported.</summary>
    public long? OutputTokens { get; init; }

    /// <summary>Why generation stopped (<c>stop</c>, <c>length</c>...), or null.</summary>
    public string? FinishReason { get; init; }
}
