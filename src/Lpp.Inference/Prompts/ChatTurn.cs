namespace Lpp.Inference;

/// <summary>A text turn of the conversation after the first user message.</summary>
/// <param name="Role">Who speaks.</param>
/// <param name="Text">What was said.</param>
public sealed record ChatTurn(ChatRole Role, string Text);
