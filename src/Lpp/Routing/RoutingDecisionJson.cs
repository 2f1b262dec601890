using System.Text.Encodings.Web;
using System.Text.Json;

namespace Lpp;

/// <summary>
/// Writes routing decisions as JSON: <c>{"id", "outcome", "decision", "score", "tau", "reason", "queue", "contributions", "source"}</c>,
/// with <c>"costs"</c> (the entry of the costs by severity that applied) after <c>"tau"</c> when such costs are in use;
/// each contribution is <c>{"feature", "linear_term", "members"}</c> (a feature, or a group of collinear features).
/// </summary>
public static class RoutingDecisionJson
{
    private static readonly JsonEncodedText Id = JsonEncodedText.Encode("id");
    private static readonly JsonEncodedText Outcome = JsonEncodedText.Encode("outcome");
    private static readonly JsonEncodedText Decision = JsonEncodedText.Encode("decision");
    private static readonly JsonEncodedText Trust = JsonEncodedText.Encode("trust");
    private static readonly JsonEncodedText Escalate = JsonEncodedText.Encode("escalate");
    private static readonly JsonEncodedText Score = JsonEncodedText.Encode("score");
    private static readonly JsonEncodedText Tau = JsonEncodedText.Encode("tau");
    private static readonly JsonEncodedText Reason = JsonEncodedText.Encode("reason");
    private static readonly JsonEncodedText CostsName = JsonEncodedText.Encode("costs");
    private static readonly JsonEncodedText Queue = JsonEncodedText.Encode("queue");
    private static readonly JsonEncodedText Contributions = JsonEncodedText.Encode("contributions");
    private static readonly JsonEncodedText Feature = JsonEncodedText.Encode("feature");
    private static readonly JsonEncodedText LinearTerm = JsonEncodedText.Encode("linear_term");
    private static readonly JsonEncodedText Members = JsonEncodedText.Encode("members");
    private static readonly JsonEncodedText Source = JsonEncodedText.Encode("source");
    private static readonly JsonEncodedText[] Reasons = [.. Enum.GetValues<RoutingReason>().Select(r => JsonEncodedText.Encode(Queues.ReasonName(r)))];
    private static readonly Dictionary<string, JsonEncodedText> Known = FeatureSchema.Names
        .Concat([Queues.Auto, Queues.Review, Queues.SeniorReview, Queues.PolicyReview])
        .ToDictionary(n => n, n => JsonEncodedText.Encode(n), StringComparer.Ordinal);

    /// <summary>
    /// The writer options every producer of decisions uses (<c>lpp route</c>, <c>lpp serve</c>), so that the same
    /// decision is the same bytes everywhere: no validation (the writer is driven by this code only) and JSON
    /// escaping only (no HTML escaping: decisions are JSON Lines, not markup).
    /// </summary>
    public static JsonWriterOptions WriterOptions { get; } = new() { SkipValidation = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Writes one decision as a JSON object; <paramref name="extra"/> may append properties (decision_id, model).</summary>
    public static void Write(Utf8JsonWriter writer, RoutingDecision decision, Action<Utf8JsonWriter>? extra = null)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(decision);
        writer.WriteStartObject();
        writer.WriteString(Id, decision.Id);
        writer.WriteString(Outcome, decision.Outcome);
        writer.WriteString(Decision, decision.Trust ? Trust : Escalate);
        writer.WriteNumber(Score, decision.Score);
        writer.WriteNumber(Tau, decision.Tau);
        if (decision.CostGroup is { } group)
        {
            writer.WriteString(CostsName, group);
        }

        writer.WriteString(Reason, Reasons[(int)decision.Reason]);
        writer.WriteString(Queue, Encoded(decision.Queue));
        writer.WriteStartArray(Contributions);
        foreach (var contribution in decision.Contributions)
        {
            writer.WriteStartObject();
            if (Known.TryGetValue(contribution.Feature, out var feature))
            {
                writer.WriteString(Feature, feature);
            }
            else
            {
                // A group's label: written as is (the writer escapes it with the same encoder), nothing allocated.
                writer.WriteString(Feature, contribution.Feature);
            }

            writer.WriteNumber(LinearTerm, contribution.LinearTerm);
            writer.WriteStartArray(Members);
            var members = contribution.Members;
            for (var i = 0; i < members.Count; i++)
            {
                writer.WriteStringValue(Encoded(members[i]));
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteStartObject(Source);
        foreach (var (key, value) in decision.Source)
        {
            writer.WriteString(key, value);
        }

        writer.WriteEndObject();
        extra?.Invoke(writer);
        writer.WriteEndObject();
    }

    private static JsonEncodedText Encoded(string known) =>
        Known.TryGetValue(known, out var encoded) ? encoded : JsonEncodedText.Encode(known, JavaScriptEncoder.UnsafeRelaxedJsonEscaping);
}
