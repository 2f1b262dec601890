namespace Lpp;

/// <summary>
/// One LLM decision: the answer space, what the model answered with its signals, and (when known) the truth.
/// The JSON Lines form is documented in the README ("Decision records").
/// </summary>
public sealed record DecisionRecord
{
    /// <summary>Identifier, unique within a file.</summary>
    public required string Id { get; init; }

    /// <summary>Free string attributes (task, concept, model, language...) kept through every command for grouping.</summary>
    public IReadOnlyDictionary<string, string> Source { get; init; } = SourceAttributes.Empty;

    /// <summary>Decision labels and abstention labels.</summary>
    public required LabelSchema Schema { get; init; }

    /// <summary>The answer and its signals.</summary>
    public LlmOutput Output { get; init; } = LlmOutput.Empty;

    /// <summary>The ground-truth label, or null when unknown.</summary>
    public string? Truth { get; init; }

    /// <summary>
    /// Whether the LLM was right: true when the outcome is a decision label equal to the truth; false otherwise
    /// (abstentions and unparseable answers count as incorrect); null when the truth is unknown.
    /// </summary>
    public bool? Correct => Truth is null ? null : Schema.IsDecisionLabel(Output.Outcome) && string.Equals(Output.Outcome, Truth, StringComparison.Ordinal);

    /// <summary>True when the outcome is neither a decision label nor an abstention label (including null).</summary>
    public bool OutcomeInvalid => Schema.IndexOf(Output.Outcome) < 0;
}
