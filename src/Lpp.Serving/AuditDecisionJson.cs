using System.Globalization;
using System.Text.Json;

namespace Lpp.Serving;

/// <summary>
/// A stored decision as <c>GET /v1/decisions/{id}</c> answers it and <c>lpp audit export</c> writes it:
/// <c>{"decision_id", "created", "caller", "model", "audit_rate", "decision": {...as answered}, "shadow": null | {"model",
/// "score", "decision", "reason"}, "review": null | {"verdict", "reviewer", "reviewed"}}</c>, the export adding
/// <c>"record"</c> (as received). <c>"shadow"</c> is what the shadow model (<c>lpp serve --shadow-model</c>) made of
/// it, never sent to the client: its checksum, score, trust or escalate and reason; score, decision and reason are
/// null when it could not score the record (one it was not trained for).
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
        WriteShadow(w, entry);
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

    private static void WriteShadow(Utf8JsonWriter w, AuditEntry entry)
    {
        if (entry.Shadow is not { } shadow)
        {
            w.WriteNull("shadow"u8);
            return;
        }

        w.WriteStartObject("shadow"u8);
        w.WriteString("model"u8, shadow);
        if (entry.ShadowReason is { } reason)
        {
            w.WriteNumber("score"u8, entry.ShadowScore);
            w.WriteString("decision"u8, reason == Queues.ReasonName(RoutingReason.Confident) ? "trust" : "escalate");
            w.WriteString("reason"u8, reason);
        }
        else
        {
            w.WriteNull("score"u8);
            w.WriteNull("decision"u8);
            w.WriteNull("reason"u8);
        }

        w.WriteEndObject();
    }

    /// <summary>Unix milliseconds as ISO 8601 UTC with milliseconds, as every timestamp the service writes.</summary>
    public static string Time(long unixMs) =>
        DateTimeOffset.FromUnixTimeMilliseconds(unixMs).ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);
}
