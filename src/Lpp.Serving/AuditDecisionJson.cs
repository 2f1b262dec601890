using System.Globalization;
using System.Text.Json;

namespace Lpp.Serving;

/// <summary>
/// A stored decision as <c>GET /v1/decisions/{id}</c> answers it and <c>lpp audit export</c> writes it:
/// <c>{"decision_id", "created", "caller", "model", "audit_rate", "decision": {...as answered}, "review": null | {"verdict",
/// "reviewer", "reviewed"}}</c>, the export adding <c>"record"</c> (as received).
/// </summary>
internal static class AuditDecisionJson
{
    public static void Write(Utf8JsonWriter w, AuditEntry entry, byte[] decisionJson, bool withRecord)
    {
        w.WriteStartObject();
        w.WriteString("decision_id"u8, entry.DecisionId);
        w.WriteString("created"u8, Time(entry.CreatedMs));
        w.WriteString("caller"u8, entry.Caller);
        w.WriteString("model"u8, entry.Model);
        w.WriteNumber("audit_rate"u8, entry.AuditRate);
        w.WritePropertyName("decision"u8);
        w.WriteRawValue(decisionJson, skipInputValidation: true);
        if (entry.Review is { } review)
        {
            w.WriteStartObject("review"u8);
            w.WriteString("verdict"u8, review.Verdict);
            w.WriteString("reviewer"u8, review.Reviewer);
            w.WriteString("reviewed"u8, Time(review.ReviewedMs));
            w.WriteEndObject();
        }
        else
        {
            w.WriteNull("review"u8);
        }

        if (withRecord)
        {
            w.WritePropertyName("record"u8);
            w.WriteRawValue(entry.RecordJson, skipInputValidation: true);
        }

        w.WriteEndObject();
    }

    /// <summary>Unix milliseconds as ISO 8601 UTC with milliseconds, as every timestamp the service writes.</summary>
    public static string Time(long unixMs) =>
        DateTimeOffset.FromUnixTimeMilliseconds(unixMs).ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);
}
