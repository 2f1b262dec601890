using System.Text.Json;

namespace Lpp.Serving;

/// <summary>
/// <c>lpp feedback export</c>: every reviewed item of an audit store as its decision record with <c>truth</c> set to
/// the reviewer's verdict, ready for <c>lpp train</c>. The same record reviewed more than once keeps its latest
/// verdict (training refuses duplicate ids).
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
        var latest = new Dictionary<string, DecisionRecord>(StringComparer.Ordinal);
        var order = new List<string>();
        var parser = new DecisionRecordParser();
        long reviews = 0;
        foreach (var entry in store.Reviewed())
        {
            reviews++;
            var record = parser.Parse(entry.RecordJson) with { Truth = entry.Verdict };
            if (!latest.ContainsKey(record.Id))
            {
                order.Add(record.Id);
            }

            latest[record.Id] = record;
        }

        using var writer = new Utf8JsonWriter(output, DecisionRecordJson.WriterOptions);
        foreach (var id in order)
        {
            DecisionRecordJson.Write(writer, latest[id]);
            writer.Flush();
            output.WriteByte((byte)'\n');
            writer.Reset();
        }

        return new FeedbackExportResult(reviews, order.Count);
    }
}
