namespace Lpp.Inference;

/// <summary>A policy concept to classify against.</summary>
/// <param name="Key">Short key used in record ids, <c>source.concept</c> and item labels (for example <c>H</c>).</param>
/// <param name="Name">Human name filled into the prompt (for example <c>hate</c>).</param>
/// <param name="Definition">The policy definition filled into the prompt.</param>
public sealed record Concept(string Key, string Name, string Definition);
