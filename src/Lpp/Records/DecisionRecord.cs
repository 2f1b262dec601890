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
    /// How many items of the population this record stands for when learning: the inverse of its probability of
    /// having been labelled (<c>lpp feedback export</c> writes 1 for an escalated item, 1/R for a trusted item audited
    /// at rate R). A record without <c>weight</c> stands for itself, 1: that is what the field means, not a guess for
    /// a missing signal. Positive and finite.
    /// </summary>
    public double Weight { get; init; } = 1;

    /// <summary>
    /// Why the record holds no answer of the LLM's (the call failed or was refused, or the item's media was refused:
    /// <c>error</c> with <c>error_kind</c> transport, refused or media), or null when the LLM answered. Such a record
    /// is not evidence that the LLM was wrong: commands that learn or measure leave it out and count it apart, and
    /// routing escalates it with reason <c>no_answer</c>.
    /// </summary>
    public string? NoAnswer { get; init; }

    /// <summary>
    /// Whether the LLM was right: true when the outcome is a decision label equal to the truth; false otherwise
    /// (abstentions and unparseable answers count as incorrect); null when the truth is unknown.
    /// </summary>
    public bool? Correct => Truth is null ? null : Schema.IsDecisionLabel(Output.Outcome) && string.Equals(Output.Outcome, Truth, StringComparison.Ordinal);

    /// <summary>True when the outcome is neither a decision label nor an abstention label (including null).</summary>
    public bool OutcomeInvalid => Schema.IndexOf(Output.Outcome) < 0;
}
