namespace Lpp.Serving;

/// <summary>A stored decision as read back (queues, reviews, lookups, exports).</summary>
/// <param name="DecisionId">The decision's id.</param>
/// <param name="RecordId">The record's id.</param>
/// <param name="Reason">Why it was routed so.</param>
/// <param name="Queue">Where it went.</param>
/// <param name="Score">Calibrated P(the LLM is right).</param>
/// <param name="Cost">c_error × (1 − score) under the deciding model.</param>
/// <param name="Model">The deciding model's checksum.</param>
/// <param name="CreatedMs">Unix time in milliseconds.</param>
/// <param name="RecordJson">The record as received.</param>
/// <param name="Caller">The API key's name that asked for the decision.</param>
/// <param name="Index">Its index in a batch, or -1 for a single-record request.</param>
/// <param name="Review">Its review, or null while there is none.</param>
/// <param name="Audited">A trusted decision sampled for audit (it went to the <c>audit</c> queue too).</param>
/// <param name="AuditRate">The audit rate in force when it was made (0 in databases from before audits).</param>
/// <param name="Shadow">The checksum of the shadow model that also scored it (<c>--shadow-model</c>), or null when none ran (and in databases from before shadows).</param>
/// <param name="ShadowReason">The shadow model's reason (<c>confident</c>: it would have trusted it), or null when none ran or it could not score the record.</param>
/// <param name="ShadowScore">The shadow model's score; NaN when it did not score the record.</param>
internal sealed record AuditEntry(
    string DecisionId,
    string RecordId,
    string Reason,
    string Queue,
    double Score,
    double Cost,
    string Model,
    long CreatedMs,
    byte[] RecordJson,
    string Caller,
    int Index,
    StoredReview? Review,
    bool Audited = false,
    double AuditRate = 0,
    string? Shadow = null,
    string? ShadowReason = null,
    double ShadowScore = double.NaN)
{
    /// <summary>The reviewer's label, or null while unreviewed.</summary>
    public string? Verdict => Review?.Verdict;
}
