using System.Text.Json;

namespace Lpp;

/// <summary>Writes routing decisions as JSON: <c>{"id", "outcome", "decision", "score", "tau", "reason", "queue", "contributions", "source"}</c>.</summary>
public static class RoutingDecisionJson
{
    /// <summary>Writes one decision as a JSON object; <paramref name="extra"/> may append properties (decision_id, model).</summary>
    public static void Write(Utf8JsonWriter writer, RoutingDecision decision, Action<Utf8JsonWriter>? extra = null)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(decision);
        writer.WriteStartObject();
        writer.WriteString("id"u8, decision.Id);
        writer.WriteString("outcome"u8, decision.Outcome);
        writer.WriteString("decision"u8, decision.Trust ? "trust"u8 : "escalate"u8);
        writer.WriteNumber("score"u8, decision.Score);
        writer.WriteNumber("tau"u8, decision.Tau);
        writer.WriteString("reason"u8, Queues.ReasonName(decision.Reason));
        writer.WriteString("queue"u8, decision.Queue);
        writer.WriteStartArray("contributions"u8);
        foreach (var contribution in decision.Contributions)
        {
            writer.WriteStartObject();
            writer.WriteString("feature"u8, contribution.Feature);
            writer.WriteNumber("value"u8, contribution.Value);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteStartObject("source"u8);
        foreach (var (key, value) in decision.Source)
        {
            writer.WriteString(key, value);
        }

        writer.WriteEndObject();
        extra?.Invoke(writer);
        writer.WriteEndObject();
    }
}
