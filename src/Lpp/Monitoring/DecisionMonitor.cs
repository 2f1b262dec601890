using System.Globalization;

namespace Lpp;

/// <summary>
/// Streams stored decisions into per-model (and per-period) counts for <c>lpp monitor</c>, then reports them with the
/// alerts they raise: constant memory per model and period, whatever the number of decisions. Drift is counted for
/// models whose file holds a training profile; the caller passes each decision's <see cref="FeatureSchema"/> features
/// for those (and may pass none for the others). Not thread-safe.
/// </summary>
public sealed class DecisionMonitor
{
    private readonly Dictionary<string, Tracked> _models = new(StringComparer.Ordinal);
    private readonly List<string> _order = [];

    /// <summary>Creates an empty monitor.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public DecisionMonitor(MonitorOptions options)
    {
        Options = options ?? throw new ArgumentNullException(nameof(options));
        options.Validate();
    }

    /// <summary>The options in force.</summary>
    public MonitorOptions Options { get; }

    /// <summary>Whether decisions of <paramref name="checksum"/> were announced with <see cref="Track"/>.</summary>
    public bool Tracks(string checksum) => _models.ContainsKey(checksum);

    /// <summary>Announces a model before its first decision, with its training profile (null: monitoring without drift).</summary>
    public void Track(string checksum, TrainingProfile? profile)
    {
        ArgumentNullException.ThrowIfNull(checksum);
        if (_models.TryAdd(checksum, new Tracked(profile)))
        {
            _order.Add(checksum);
        }
    }

    /// <summary>Counts one decision; <paramref name="features"/> (every <see cref="FeatureSchema"/> column) feed the drift counts when its model has a profile.</summary>
    /// <exception cref="InvalidOperationException">Its model was not announced with <see cref="Track"/>.</exception>
    public void Add(in MonitoredDecision decision, ReadOnlySpan<double> features)
    {
        if (!_models.TryGetValue(decision.Model, out var tracked))
        {
            throw new InvalidOperationException($"model {decision.Model} was not announced with Track");
        }

        if (tracked.Profile is not null && features.Length != FeatureSchema.Count)
        {
            throw new ArgumentException($"{FeatureSchema.Count} features expected for drift, got {features.Length}", nameof(features));
        }

        tracked.Whole.Add(decision, features);
        if (Options.By != MonitorPeriod.None)
        {
            var start = Options.By.StartOf(decision.CreatedMs);
            if (!tracked.Periods.TryGetValue(start, out var period))
            {
                period = new MonitorCounts(tracked.Profile);
                tracked.Periods[start] = period;
            }

            period.Add(decision, features);
        }
    }

    /// <summary>The report as of <paramref name="nowMs"/> (pending ages are measured to it), with the alerts of each model's whole window.</summary>
    public MonitorReport Report(long nowMs)
    {
        var models = new List<ModelMonitor>();
        var alerts = new List<MonitorAlert>();
        foreach (var checksum in _order)
        {
            var tracked = _models[checksum];
            var summary = tracked.Whole.Summarize(nowMs);
            models.Add(new ModelMonitor(checksum, tracked.Profile is not null, summary, [.. tracked.Periods.Select(p => new PeriodSummary(p.Key, p.Value.Summarize(nowMs)))]));
            alerts.AddRange(Alerts(checksum, summary));
        }

        return new MonitorReport(Options, nowMs, models, alerts);
    }

    /// <summary>
    /// The thresholds <paramref name="summary"/> crosses: the score's PSI and each feature's above
    /// <see cref="MonitorOptions.MaxPsi"/>; the estimated error rate among trusted decisions above
    /// <see cref="MonitorOptions.MaxTrustedError"/> (only once some audited decision was reviewed).
    /// </summary>
    private IEnumerable<MonitorAlert> Alerts(string checksum, ModelSummary summary)
    {
        var c = CultureInfo.InvariantCulture;
        var maxPsi = Options.MaxPsi;
        if (summary.Drift is { } drift)
        {
            if (drift.ScorePsi > maxPsi)
            {
                yield return new MonitorAlert(checksum, string.Create(c, $"the score's distribution has shifted from training: PSI {drift.ScorePsi:0.000} over {summary.Decisions} decisions is above {maxPsi}"), drift.ScorePsi, maxPsi);
            }

            foreach (var (feature, psi) in drift.Features.Where(f => f.Psi > maxPsi).OrderByDescending(f => f.Psi))
            {
                yield return new MonitorAlert(checksum, string.Create(c, $"feature {feature} has shifted from training: PSI {psi:0.000} is above {maxPsi}"), psi, maxPsi);
            }
        }

        var estimate = summary.Audit.Estimate;
        if (Options.MaxTrustedError is { } max && estimate.Reviewed > 0 && estimate.Rate > max)
        {
            var ci = estimate.Ci95;
            yield return new MonitorAlert(checksum, string.Create(c, $"the estimated error rate among trusted decisions, {estimate.Rate:0.000} (95% interval {ci.Low:0.000}-{ci.High:0.000}, {estimate.Errors} wrong of {estimate.Reviewed} audited), is above {max}"), estimate.Rate, max);
        }
    }

    private sealed class Tracked(TrainingProfile? profile)
    {
        public TrainingProfile? Profile { get; } = profile;

        public MonitorCounts Whole { get; } = new(profile);

        public SortedDictionary<long, MonitorCounts> Periods { get; } = [];
    }
}
