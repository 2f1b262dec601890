namespace Lpp.Cli;

/// <summary>
/// One decision as the audit store keeps it: the record exactly as received and the decision exactly as answered,
/// plus the columns the review queues sort and filter on.
/// </summary>
/// <param name="DecisionId">The id the client received.</param>
/// <param name="RecordId">The record's own id.</param>
/// <param name="Reason">Why (snake_case, as in the decision JSON).</param>
/// <param name="Queue">auto, review, senior_review or policy_review.</param>
/// <param name="Score">Calibrated P(the LLM is right).</param>
/// <param name="Cost">Expected cost of trusting it wrongly under the model's cost model: c_error × (1 − score).</param>
/// <param name="Model">The checksum of the model that decided.</param>
/// <param name="Caller">The API key's name.</param>
/// <param name="CreatedMs">Unix time in milliseconds.</param>
/// <param name="RecordJson">The record's UTF-8 JSON as received.</param>
/// <param name="DecisionJson">The decision's UTF-8 JSON as answered.</param>
internal readonly record struct AuditDecision(
    string DecisionId,
    string RecordId,
    string Reason,
    string Queue,
    double Score,
    double Cost,
    string Model,
    string Caller,
    long CreatedMs,
    ReadOnlyMemory<byte> RecordJson,
    ReadOnlyMemory<byte> DecisionJson);
