namespace Lpp;

/// <summary>
/// A shadow model (<c>lpp serve --shadow-model</c>) beside one serving model in a monitoring window (or one period of
/// it): how often the two decide alike, and each one's expected cost per decision estimated from the reviewed
/// decisions, weighted by the inverse of their probability of review (<see cref="ReviewWeight"/>), in the serving
/// model's costs (each item's own costs by severity where they apply), on the same decisions for both.
/// </summary>
/// <param name="Decisions">Decisions the shadow scored.</param>
/// <param name="Unscored">Decisions it could not score (a record it was not trained for: other labels, a signal it relies on missing).</param>
/// <param name="Agreed">Of <paramref name="Decisions"/>, those where it decided as the serving model did (both trust or both escalate; an <c>over_capacity</c> item counts as the serving model's escalation).</param>
/// <param name="Reviewed">Reviewed decisions the estimates rest on (scored by the shadow, with a known probability of review).</param>
/// <param name="AuditedReviewed">Of those, trusted decisions reviewed through the audit sample (the rest are escalations).</param>
/// <param name="ReviewedWeight">The decisions they stand for: the sum of their weights.</param>
/// <param name="EstimatedCost">The shadow's estimated expected cost per decision (lower is better); NaN when it cannot be estimated (<paramref name="Missing"/> says why).</param>
/// <param name="ServingCost">The serving model's, on the same decisions; NaN likewise.</param>
/// <param name="DifferenceCi95">An approximate 95% interval of <see cref="Difference"/> (normal, from the weighted per-decision differences); undefined with fewer than 2 reviewed decisions.</param>
/// <param name="Missing">Why there is no estimate, in words; null when there is one.</param>
public sealed record ShadowSummary(
    long Decisions,
    long Unscored,
    long Agreed,
    long Reviewed,
    long AuditedReviewed,
    double ReviewedWeight,
    double EstimatedCost,
    double ServingCost,
    Interval DifferenceCi95,
    string? Missing)
{
    /// <summary>Agreed / decisions; NaN when the shadow scored none.</summary>
    public double Agreement => Decisions == 0 ? double.NaN : (double)Agreed / Decisions;

    /// <summary>The shadow's estimated cost less the serving model's: negative when the shadow would have cost less.</summary>
    public double Difference => EstimatedCost - ServingCost;
}
