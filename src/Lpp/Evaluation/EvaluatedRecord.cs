namespace Lpp;

/// <summary>One record as every method routed it: per method its score and whether it trusted.</summary>
/// <param name="Id">The record's id.</param>
/// <param name="Source">The record's source attributes (for grouping).</param>
/// <param name="Correct">Whether the LLM was right, or null when the truth is unknown.</param>
/// <param name="Scores">Each method's confidence score (NaN when its signal is missing).</param>
/// <param name="Trust">Each method's decision.</param>
public sealed record EvaluatedRecord(string Id, IReadOnlyDictionary<string, string> Source, bool? Correct, IReadOnlyDictionary<Method, double> Scores, IReadOnlyDictionary<Method, bool> Trust)
{
    /// <summary>True when the meta-model escalates the record whatever its score (an abstention or an unparseable answer).</summary>
    public bool Forced { get; init; }

    /// <summary>The record's own costs (costs by severity), or null when the model's cost model applies.</summary>
    public CostModel? Cost { get; init; }

    /// <summary>A method's score as its decision acts on it: NaN (always escalated) for the meta-model's forced escalations.</summary>
    public double RoutedScore(Method method) => Forced && method == Method.MetaModel ? double.NaN : Scores[method];
}
