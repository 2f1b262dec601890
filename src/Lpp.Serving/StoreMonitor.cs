namespace Lpp.Serving;

/// <summary>
/// <c>lpp monitor</c>'s store reads: streams the decisions of a window out of an audit store (one request row at a
/// time, so memory stays flat) into a <see cref="DecisionMonitor"/>, with each model's training profile and each
/// decision's features recomputed from its stored record for drift. The statistics are the core's.
/// </summary>
public static class StoreMonitor
{
    /// <summary>
    /// Monitors the decisions created in [<paramref name="since"/>, <paramref name="until"/>) (either bound optional)
    /// of the store (the SQLite file at <paramref name="databasePath"/>, or the PostgreSQL database of
    /// <paramref name="connection"/>). <paramref name="note"/> hears once per model without a training profile.
    /// </summary>
    /// <exception cref="ServeException">The store cannot be opened, or a stored model file is missing or unreadable.</exception>
    public static async Task<MonitorReport> RunAsync(AuditStoreKind kind, string databasePath, StoreConnection? connection, MonitorOptions options, DateTimeOffset? since, DateTimeOffset? until, TimeProvider time, Action<string> note)
    {
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(note);
        var monitor = new DecisionMonitor(options);
        await using var store = await AuditStores.OpenForReadingAsync(kind, databasePath, connection).ConfigureAwait(false);
        Run(store, monitor, since?.ToUnixTimeMilliseconds(), until?.ToUnixTimeMilliseconds(), note);
        return monitor.Report(time.GetUtcNow().ToUnixTimeMilliseconds());
    }

    internal static void Run(IAuditStore store, DecisionMonitor monitor, long? sinceMs, long? untilMs, Action<string> note)
    {
        var models = new Dictionary<string, (EscalationModel Model, LppFeatureExtractor? Extractor)>(StringComparer.Ordinal);
        var parser = new DecisionRecordParser();
        var features = new double[FeatureSchema.Count];
        var confident = Queues.ReasonName(RoutingReason.Confident);
        foreach (var entry in store.Decisions(sinceMs, untilMs))
        {
            if (!models.TryGetValue(entry.Model, out var known))
            {
                var model = Load(store, entry.Model);
                monitor.Track(entry.Model, model.Profile);
                known = (model, model.Profile is null ? null : model.CreateExtractor());
                models[entry.Model] = known;
                if (model.Profile is null)
                {
                    note($"model {entry.Model} has no training profile (its file was written before profiles): monitoring it without drift");
                }
            }

            var record = parser.Parse(entry.RecordJson);
            known.Extractor?.Extract(record, features);

            // A shadow's decisions are counted in the serving model's costs: the item's own by severity where they apply.
            var costs = entry.Shadow is null ? null : known.Model.SeverityCosts?.For(record.Source, out _) ?? known.Model.Cost;
            monitor.Add(
                new MonitoredDecision(entry.Model, entry.CreatedMs, entry.Queue, entry.Reason, entry.Audited, entry.AuditRate, entry.Score, record.Output.Outcome, entry.Verdict, entry.Shadow, entry.ShadowReason is { } reason ? reason == confident : null, costs),
                known.Extractor is null ? [] : features);
        }
    }

    private static EscalationModel Load(IAuditStore store, string checksum)
    {
        var file = store.ModelFile(checksum) ?? throw new ServeException($"monitor: model {checksum} is not in the audit store");
        try
        {
            return EscalationModelFile.Parse(file);
        }
        catch (ModelFileException e)
        {
            throw new ServeException($"monitor: the stored model {checksum} cannot be read ({e.Message})", e);
        }
    }
}
