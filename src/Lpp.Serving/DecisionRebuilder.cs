using System.Globalization;
using System.Text.Json;

namespace Lpp.Serving;

/// <summary>
/// The decision JSON a client received, rebuilt from the stored record and model file (routing is deterministic) and
/// checked against the stored score, reason and queue; the stores keep only those. Models are loaded once each.
/// Thread-safe.
/// </summary>
internal sealed class DecisionRebuilder(IAuditStore store)
{
    private readonly Dictionary<string, ServedModel> _models = new(StringComparer.Ordinal);

    /// <summary>The decision JSON as answered (without the trailing newline).</summary>
    /// <exception cref="InvalidOperationException">The model is missing, or the rebuilt decision differs from the stored one.</exception>
    public byte[] Json(AuditEntry entry)
    {
        ServedModel served;
        lock (_models)
        {
            if (!_models.TryGetValue(entry.Model, out served!))
            {
                var file = store.ModelFile(entry.Model) ?? throw new InvalidOperationException($"decision {entry.DecisionId}: its model {entry.Model} is not in the audit store");
                served = ServedModel.From(file, DateTimeOffset.UnixEpoch);
                _models[entry.Model] = served;
            }
        }

        var decision = served.Router.Route(new DecisionRecordParser().Parse(entry.RecordJson));
        if (decision.Reason == RoutingReason.LowConfidence && entry.Reason == Queues.ReasonName(RoutingReason.OverCapacity))
        {
            // Trusted by lpp serve --capacity, not by the model: what the model decided is checked all the same.
            decision = decision.TrustedOverCapacity();
        }

        if (decision.Score != entry.Score || Queues.ReasonName(decision.Reason) != entry.Reason || decision.Queue != entry.Queue)
        {
            throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture, $"decision {entry.DecisionId}: its record and model give {decision.Score} ({decision.Queue}), the audit log says {entry.Score} ({entry.Queue})"));
        }

        var output = new System.Buffers.ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(output, RoutingDecisionJson.WriterOptions))
        {
            ServedDecisionJson.Write(writer, decision, Guid.ParseExact(entry.DecisionId, "N"), served.ChecksumJson, entry.Index, entry.Audited);
        }

        return output.WrittenSpan.ToArray();
    }
}
