namespace Lpp.Inference;

/// <summary>One line of a batch's results: the request's key and either the answer body or why there is none.</summary>
/// <param name="Key">The key the request was submitted with (its cache key), or null when the line has none.</param>
/// <param name="Body">The raw answer body (what the synchronous call returns), or null.</param>
/// <param name="Status">The HTTP status of the request, or null when the provider gave none.</param>
/// <param name="Error">Why there is no answer (or why the line is malformed), or null.</param>
public sealed record BatchResult(string? Key, string? Body, int? Status, string? Error);
