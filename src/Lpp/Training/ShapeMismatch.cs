namespace Lpp;

/// <summary>Why a record is not one the model was trained for.</summary>
/// <param name="Field">The record field at fault, as in the JSON (<c>labels</c>, <c>output.outcome_top_logprobs</c>...): what an HTTP 422 names.</param>
/// <param name="Reason">One line for a person, e.g. "no log-probabilities (output.outcome_top_logprobs), which the model relies on".</param>
public sealed record ShapeMismatch(string Field, string Reason);
