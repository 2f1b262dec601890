using System.Text.Json;

namespace Lpp.Serving;

/// <summary>
/// <c>lpp feedback export</c>: every reviewed item of an audit store as its decision record with <c>truth</c> set to
/// the reviewer's verdict and <c>weight</c> the inverse of its probability of having been reviewed, ready for
/// <c>lpp train</c>: 1 for an escalated item (every one is queued for review), 1/R for a trusted item sampled for audit
/// at the rate R stored with its decision (<see cref="AuditSampling"/>), so the weighted records stand for all
/// decisions, not only the escalated ones. A trusted decision reviewed although it was not sampled has no known
/// probability of review: it is left out and counted (<see cref="FeedbackExportResult.Unsampled"/>). The same record
/// reviewed more than once keeps its latest verdict (training refuses duplicate ids).
/// </summary>
public static class FeedbackExport
{
    /// <summary>
    /// Writes the labeled records of the audit store (the SQLite file at <paramref name="databasePath"/>, or the
    /// PostgreSQL database of <paramref name="connection"/>) as JSON Lines to the stream <paramref name="createOutput"/>
    /// opens once the store is open.
    /// </summary>
    /// <returns>How many reviews were read and how many labeled records were written.</returns>
    /// <exception cref="ServeException">The store cannot be opened or is not an audit store.</exception>
    public static async Task<FeedbackExportResult> WriteAsync(AuditStoreKind kind, string databasePath, StoreConnection? connection, Func<Stream> createOutput)
    {
        ArgumentNullException.ThrowIfNull(createOutput);
        await using var store = await AuditStores.OpenForReadingAsync(kind, databasePath, connection).ConfigureAwait(false);
        using var output = createOutput();
        return Write(store, output);
    }

    internal static FeedbackExportResult Write(IAuditStore store, Stream output)
    {
        var latest = new Dictionary<string, (DecisionRecord Record, double Weight)>(StringComparer.Ordinal);
        var order = new List<string>();
        var parser = new DecisionRecordParser();
        long reviews = 0, unsampled = 0;
        foreach (var entry in store.Reviewed())
        {
            reviews++;
            if (Weight(entry) is not { } weight)
            {
                unsampled++;
                continue;
            }

            // The record's own "weight", if a client sent one, is replaced: the export states the sampling weight.
            var record = (parser.Parse(entry.RecordJson) with { Truth = entry.Verdict, Weight = 1 }, weight);
            if (!latest.ContainsKey(record.Item1.Id))
            {
                order.Add(record.Item1.Id);
            }

            latest[record.Item1.Id] = record;
        }

        using var writer = new Utf8JsonWriter(output, DecisionRecordJson.WriterOptions);
        foreach (var id in order)
        {
            var (record, weight) = latest[id];
            DecisionRecordJson.Write(writer, record, w => w.WriteNumber("weight", weight));
            writer.Flush();
            output.WriteByte((byte)'\n');
            writer.Reset();
        }

        return new FeedbackExportResult(reviews, order.Count, unsampled);
    }

    /// <summary>The inverse of the decision's probability of having been reviewed (<see cref="ReviewWeight"/>): 1 when escalated, 1/R when trusted and sampled for audit at rate R, else null.</summary>
    internal static double? Weight(AuditEntry entry) => ReviewWeight.Of(entry.Queue == Queues.Auto, entry.Audited, entry.AuditRate);
}
