namespace Lpp;

/// <summary>Every method measured on the records that share one value of one source attribute.</summary>
/// <param name="Attribute">The source attribute (task, model, concept...).</param>
/// <param name="Value">Its value.</param>
/// <param name="Records">Labelled records in the group.</param>
/// <param name="Errors">LLM errors among them.</param>
/// <param name="Methods">Metrics by method.</param>
public sealed record GroupMetrics(string Attribute, string Value, int Records, int Errors, IReadOnlyDictionary<Method, MethodMetrics> Methods);
