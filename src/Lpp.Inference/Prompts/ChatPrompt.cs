namespace Lpp.Inference;

/// <summary>A provider-neutral conversation: the system prompt, the user message and, for answer retries, the follow-up turns.</summary>
public sealed record ChatPrompt
{
    /// <summary>The system prompt: policy definition and output contract.</summary>
    public required string System { get; init; }

    /// <summary>The user message parts, in order.</summary>
    public required IReadOnlyList<PromptPart> User { get; init; }

    /// <summary>Follow-up turns after the user message (an invalid answer and the request to correct it), in order.</summary>
    public IReadOnlyList<ChatTurn> FollowUps { get; init; } = [];

    /// <summary>True when the chain-of-thought variant (with <c>reasoning_steps</c>) is asked for.</summary>
    public bool ChainOfThought { get; init; }

    /// <summary>A copy with one more exchange: the model's invalid answer and the correction request.</summary>
    public ChatPrompt WithCorrection(string invalidAnswer, string reason) => this with
    {
        FollowUps =
        [
            .. FollowUps,
            new ChatTurn(ChatRole.Assistant, invalidAnswer),
            new ChatTurn(ChatRole.User, string.Format(global::System.Globalization.CultureInfo.InvariantCulture, PromptTemplates.CorrectionFormat, reason)),
        ],
    };
}
