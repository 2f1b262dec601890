namespace Lpp;

/// <summary>
/// The weight of a reviewed decision: the inverse of its probability of having been reviewed. Every escalated decision
/// is queued for review, so 1; a trusted decision is reviewed through the audit sample, drawn at the rate R in force
/// when it was decided, so 1/R. A trusted decision reviewed outside the sample (a spot check by id) has no known
/// probability of review, so no weight would be right: null. <c>lpp feedback export</c> writes it as each record's
/// <c>weight</c>; <c>lpp monitor</c> weighs its estimates of a shadow model's cost with it.
/// </summary>
public static class ReviewWeight
{
    /// <summary>1 for an escalated decision, 1/<paramref name="auditRate"/> for a trusted one sampled for audit, null otherwise (also for a stored rate outside (0, 1]).</summary>
    public static double? Of(bool trusted, bool audited, double auditRate) =>
        !trusted ? 1 : audited && auditRate is > 0 and <= 1 ? 1 / auditRate : null;
}
