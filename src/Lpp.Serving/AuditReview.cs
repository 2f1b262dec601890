namespace Lpp.Serving;

/// <summary>A reviewer's verdict on one escalated decision.</summary>
/// <param name="DecisionId">The decision reviewed.</param>
/// <param name="Verdict">The true label, one of the record's labels.</param>
/// <param name="Reviewer">Who reviewed it.</param>
/// <param name="Caller">The API key's name.</param>
/// <param name="ReviewedMs">Unix time in milliseconds.</param>
internal sealed record AuditReview(string DecisionId, string Verdict, string Reviewer, string Caller, long ReviewedMs);
