namespace Lpp.Serving;

/// <summary>
/// One request's decisions as the audit store keeps them: the body as received, once; the model, caller and time,
/// once; and per decision its queue columns and where its record lies in the body. Decision number k has id
/// <see cref="DecisionIds.Nth"/>(<paramref name="FirstId"/>, k). The decision JSON a client received is not
/// stored: <see cref="DecisionRebuilder"/> rebuilds it from the record and the model file.
/// </summary>
/// <param name="FirstId">The id of the first decision.</param>
/// <param name="Model">The model that decided.</param>
/// <param name="Caller">The API key's name.</param>
/// <param name="CreatedMs">Unix time in milliseconds.</param>
/// <param name="Body">The request body as received.</param>
/// <param name="Decisions">The decisions, in answer order (the first <paramref name="Count"/> are used).</param>
/// <param name="Count">How many decisions.</param>
/// <param name="AuditRate">The audit rate in force (<c>--audit-rate</c>) when they were made.</param>
/// <param name="Shadow">The shadow model that also scored them (<c>--shadow-model</c>), or null: the store keeps its file once and each decision's shadow score and reason.</param>
internal sealed record AuditRequest(
    Guid FirstId,
    ServedModel Model,
    string Caller,
    long CreatedMs,
    ReadOnlyMemory<byte> Body,
    AuditDecision[] Decisions,
    int Count,
    double AuditRate = 0,
    ServedModel? Shadow = null);
