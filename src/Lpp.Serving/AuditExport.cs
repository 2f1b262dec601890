using System.Text.Json;

namespace Lpp.Serving;

/// <summary>
/// <c>lpp audit export</c>: every decision of an audit store in creation order, one JSON line each, in the shape of
/// <c>GET /v1/decisions/{id}</c> plus <c>"record"</c> (the record as received).
/// </summary>
public static class AuditExport
{
    /// <summary>
    /// Writes the decisions created in [<paramref name="since"/>, <paramref name="until"/>) (either bound optional)
    /// of the store (the SQLite file at <paramref name="databasePath"/>, or the PostgreSQL database of
    /// <paramref name="connection"/>) to the stream <paramref name="createOutput"/> opens once the store is open.
    /// </summary>
    /// <returns>How many decisions were written.</returns>
    /// <exception cref="ServeException">The store cannot be opened, or a stored decision no longer matches its record and model.</exception>
    public static async Task<long> WriteAsync(AuditStoreKind kind, string databasePath, StoreConnection? connection, DateTimeOffset? since, DateTimeOffset? until, Func<Stream> createOutput)
    {
        ArgumentNullException.ThrowIfNull(createOutput);
        await using var store = await AuditStores.OpenForReadingAsync(kind, databasePath, connection).ConfigureAwait(false);
        using var output = createOutput();
        var rebuilder = new DecisionRebuilder(store);
        long written = 0;
        using var writer = new Utf8JsonWriter(output, RoutingDecisionJson.WriterOptions);
        foreach (var entry in store.Decisions(since?.ToUnixTimeMilliseconds(), until?.ToUnixTimeMilliseconds()))
        {
            byte[] decision;
            try
            {
                decision = rebuilder.Json(entry);
            }
            catch (InvalidOperationException e)
            {
                throw new ServeException($"audit export: {e.Message}", e);
            }

            AuditDecisionJson.Write(writer, entry, decision, withRecord: true);
            writer.Flush();
            output.WriteByte((byte)'\n');
            writer.Reset();
            written++;
        }

        return written;
    }
}
