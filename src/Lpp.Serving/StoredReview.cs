namespace Lpp.Serving;

/// <summary>A review as stored.</summary>
/// <param name="Verdict">The label the reviewer gave.</param>
/// <param name="Reviewer">Who reviewed (a reviewer identity of the key).</param>
/// <param name="Caller">The API key's name.</param>
/// <param name="ReviewedMs">Unix time in milliseconds.</param>
internal sealed record StoredReview(string Verdict, string Reviewer, string Caller, long ReviewedMs);
