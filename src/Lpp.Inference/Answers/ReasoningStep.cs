namespace Lpp.Inference;

/// <summary>One chain-of-thought step of an answer.</summary>
/// <param name="Number">The step number the model gave.</param>
/// <param name="Description">The step's text.</param>
public sealed record ReasoningStep(int Number, string Description);
