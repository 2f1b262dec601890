using System.Text.Json;

namespace Lpp.Serving;

/// <summary>
/// A decision as <c>lpp serve</c> answers it: the JSON of a line of <c>lpp route</c> plus <c>decision_id</c>,
/// <c>model</c>, in a batch <c>index</c>, and <c>"audit": true</c> for a trusted decision sampled for audit. One writer
/// for the answer and for rebuilding it from the audit log.
/// </summary>
internal static class ServedDecisionJson
{
    [ThreadStatic]
    private static Extra? t_extra;

    /// <summary>Writes one decision; <paramref name="index"/> is its position in a batch, or -1 for a single record.</summary>
    public static void Write(Utf8JsonWriter writer, RoutingDecision decision, Guid decisionId, JsonEncodedText model, int index, bool audit = false)
    {
        var extra = t_extra ??= new Extra();
        extra.Set(decisionId, model, index, audit);
        RoutingDecisionJson.Write(writer, decision, extra.Write);
    }

    /// <summary>The 32 lowercase hex digits a client sees.</summary>
    public static string Format(Guid decisionId) => decisionId.ToString("N");

    /// <summary>The properties after the <c>lpp route</c> ones; one per thread, reused (writing is synchronous).</summary>
    private sealed class Extra
    {
        private Guid _decisionId;
        private JsonEncodedText _model;
        private int _index;
        private bool _audit;

        public Extra() => Write = WriteCore;

        public Action<Utf8JsonWriter> Write { get; }

        public void Set(Guid id, JsonEncodedText checksum, int position, bool audit)
        {
            _decisionId = id;
            _model = checksum;
            _index = position;
            _audit = audit;
        }

        private void WriteCore(Utf8JsonWriter writer)
        {
            Span<byte> id = stackalloc byte[32];
            _decisionId.TryFormat(id, out _, "N");
            writer.WriteString("decision_id"u8, id);
            writer.WriteString("model"u8, _model);
            if (_index >= 0)
            {
                writer.WriteNumber("index"u8, _index);
            }

            if (_audit)
            {
                writer.WriteBoolean("audit"u8, true);
            }
        }
    }
}
