using System.Text.Json;

namespace Lpp.Cli;

/// <summary>
/// A decision as <c>lpp serve</c> answers it: the JSON of a line of <c>lpp route</c> plus <c>decision_id</c>,
/// <c>model</c> and, in a batch, <c>index</c>. One writer for the answer and for rebuilding it from the audit log.
/// </summary>
internal static class ServedDecisionJson
{
    /// <summary>Writes one decision; <paramref name="index"/> is its position in a batch, or -1 for a single record.</summary>
    public static void Write(Utf8JsonWriter writer, RoutingDecision decision, Guid decisionId, string model, int index) =>
        RoutingDecisionJson.Write(writer, decision, new Extra(decisionId, model, index).Write);

    /// <summary>The 32 lowercase hex digits a client sees.</summary>
    public static string Format(Guid decisionId) => decisionId.ToString("N");

    private sealed class Extra(Guid decisionId, string model, int index)
    {
        public void Write(Utf8JsonWriter writer)
        {
            Span<byte> id = stackalloc byte[32];
            decisionId.TryFormat(id, out _, "N");
            writer.WriteString("decision_id"u8, id);
            writer.WriteString("model"u8, model);
            if (index >= 0)
            {
                writer.WriteNumber("index"u8, index);
            }
        }
    }
}
