using System.Diagnostics.Metrics;

namespace Lpp.Serving;

/// <summary>
/// The monitoring gauges of <c>/metrics</c> (published on the service's meter by <see cref="Publish"/>) over a sliding window (<see cref="ServeDefaults.MonitorWindowSeconds"/>,
/// in buckets of <see cref="ServeDefaults.MonitorBucketSeconds"/>): <c>lpp_drift_psi{feature}</c>, the population
/// stability index of the score and of every profiled feature of the serving model's decisions against its training
/// profile, and <c>lpp_trusted_error_estimate</c>, wrong / reviewed among the audited trusted decisions reviewed in the
/// window (with <c>lpp_trusted_error_reviewed</c>). The statistics are the core's (<see cref="PopulationStability"/>).
/// A new model starts its drift counts afresh. Requests tally their decisions locally and merge once. Thread-safe.
/// </summary>
internal sealed class LiveMonitor(TimeProvider time)
{
    private readonly Lock _lock = new();
    private readonly Bucket[] _buckets = new Bucket[ServeDefaults.MonitorWindowSeconds / ServeDefaults.MonitorBucketSeconds];
    private string? _model;
    private TrainingProfile? _profile;

    /// <summary>Tallies merged and empty, for the next requests to reuse (a tally is 4 KiB of counts for a 49-feature profile).</summary>
    private readonly System.Collections.Concurrent.ConcurrentQueue<Tally> _spare = new();

    /// <summary>
    /// An empty local tally for <paramref name="served"/>'s decisions (a merged one reused when there is one for the same
    /// model), or null when its file has no training profile.
    /// </summary>
    public Tally? Begin(ServedModel served)
    {
        if (served.Model.Profile is not { } profile)
        {
            return null;
        }

        while (_spare.TryDequeue(out var spare))
        {
            if (ReferenceEquals(spare.Profile, profile) && string.Equals(spare.Model, served.Checksum, StringComparison.Ordinal))
            {
                return spare;
            }
        }

        return new Tally(served.Checksum, profile);
    }

    /// <summary>
    /// Adds a request's tally to the current bucket (a tally of another model than the last one restarts the drift
    /// counts), then empties it for reuse: the caller must not use it again.
    /// </summary>
    public void Merge(Tally? tally)
    {
        if (tally is null)
        {
            return;
        }

        if (tally.Items > 0)
        {
            Add(tally);
            tally.Clear();
        }

        if (_spare.Count < ServeDefaults.MaxConnections)
        {
            _spare.Enqueue(tally);
        }
    }

    private void Add(Tally tally)
    {

        lock (_lock)
        {
            if (!string.Equals(_model, tally.Model, StringComparison.Ordinal))
            {
                // Another model: its profile is another reference, so the drift counts start again.
                _model = tally.Model;
                _profile = tally.Profile;
                foreach (var bucket in _buckets)
                {
                    bucket?.ClearDrift();
                }
            }

            var counts = Current().Drift ??= new long[tally.Counts.Length];
            foreach (var bin in tally.Touched)
            {
                counts[bin] += tally.Counts[bin];
            }
        }
    }

    /// <summary>Counts a review of an audited trusted decision: <paramref name="wrong"/> when the verdict differs from the LLM's answer.</summary>
    public void Reviewed(bool wrong)
    {
        lock (_lock)
        {
            var bucket = Current();
            bucket.Reviewed++;
            bucket.Wrong += wrong ? 1 : 0;
        }
    }

    /// <summary>Adds the gauges to <paramref name="meter"/>: each reads the window when /metrics is scraped.</summary>
    public void Publish(Meter meter)
    {
        meter.CreateObservableGauge("lpp_trusted_error_estimate", () => Read() is var (reviewed, wrong, _) && reviewed > 0 ? (double)wrong / reviewed : double.NaN, description: $"Wrong / reviewed among audited trusted decisions reviewed in the last {ServeDefaults.MonitorWindowSeconds} s (NaN when none was).");
        meter.CreateObservableGauge("lpp_trusted_error_reviewed", () => Read().Reviewed, description: $"Audited trusted decisions reviewed in the last {ServeDefaults.MonitorWindowSeconds} s.");
        meter.CreateObservableGauge("lpp_drift_psi", () => Read().Drift, description: $"Population stability index of the serving model's decisions in the last {ServeDefaults.MonitorWindowSeconds} s against its training profile, by feature (score: the model's score).");
    }

    /// <summary>The window as of now: audited trusted decisions reviewed, how many were wrong, and the PSI of each bin set seen.</summary>
    private (long Reviewed, long Wrong, List<Measurement<double>> Drift) Read()
    {
        long reviewed = 0, wrong = 0;
        long[]? drift = null;
        TrainingProfile? profile;
        lock (_lock)
        {
            var oldest = Slot() - _buckets.Length + 1;
            profile = _profile;
            foreach (var bucket in _buckets.Where(b => b is not null && b.Slot >= oldest))
            {
                reviewed += bucket.Reviewed;
                wrong += bucket.Wrong;
                if (bucket.Drift is { } counts)
                {
                    drift ??= new long[counts.Length];
                    for (var i = 0; i < counts.Length; i++)
                    {
                        drift[i] += counts[i];
                    }
                }
            }
        }

        var psi = new List<Measurement<double>>();
        if (profile is null || drift is null)
        {
            return (reviewed, wrong, psi);
        }

        var offset = 0;
        foreach (var bins in profile.Features.Prepend(profile.Score))
        {
            var n = bins.Shares.Length + 1;
            var observed = drift.AsSpan(offset, n);
            offset += n;
            var total = 0L;
            foreach (var count in observed)
            {
                total += count;
            }

            if (total == 0)
            {
                continue;
            }

            var expected = new double[n];
            var actual = new double[n];
            bins.Shares.CopyTo(expected);
            expected[^1] = bins.MissingShare;
            for (var i = 0; i < n; i++)
            {
                actual[i] = (double)observed[i] / total;
            }

            psi.Add(new Measurement<double>(PopulationStability.Index(expected, actual), new KeyValuePair<string, object?>("feature", bins.Name)));
        }

        return (reviewed, wrong, psi);
    }

    private long Slot() => time.GetUtcNow().ToUnixTimeSeconds() / ServeDefaults.MonitorBucketSeconds;

    private Bucket Current()
    {
        var slot = Slot();
        var index = (int)(slot % _buckets.Length);
        if (_buckets[index] is not { } bucket || bucket.Slot != slot)
        {
            bucket = new Bucket { Slot = slot };
            _buckets[index] = bucket;
        }

        return bucket;
    }

    /// <summary>
    /// One request's decisions counted into the profile's bins: the score's, then each feature's, each with its missing
    /// count last. It remembers which bins it touched, so merging and emptying it cost the bins a request used, not all
    /// of them.
    /// </summary>
    internal sealed class Tally
    {
        private readonly int[] _columns;
        private readonly int[] _touched;
        private int _touchedCount;

        public Tally(string model, TrainingProfile profile)
        {
            Model = model;
            Profile = profile;
            _columns = [.. profile.Features.Select(f => FeatureSchema.IndexOf(f.Name))];
            Counts = new long[profile.Features.Prepend(profile.Score).Sum(b => b.Shares.Length + 1)];
            _touched = new int[Counts.Length];
        }

        public string Model { get; }

        public TrainingProfile Profile { get; }

        public long[] Counts { get; }

        public long Items { get; private set; }

        /// <summary>The bins counted into since the tally was empty.</summary>
        public ReadOnlySpan<int> Touched => _touched.AsSpan(0, _touchedCount);

        /// <summary>Counts one decision's score and <see cref="FeatureSchema"/> features (NaN = missing).</summary>
        public void Add(double score, ReadOnlySpan<double> features)
        {
            Items++;
            var offset = Count(Profile.Score, score, 0);
            for (var j = 0; j < _columns.Length; j++)
            {
                offset = Count(Profile.Features[j], features[_columns[j]], offset);
            }
        }

        /// <summary>Empties the tally.</summary>
        public void Clear()
        {
            foreach (var bin in Touched)
            {
                Counts[bin] = 0;
            }

            _touchedCount = 0;
            Items = 0;
        }

        private int Count(BinnedProfile bins, double value, int offset)
        {
            var bin = offset + (double.IsNaN(value) ? bins.Shares.Length : bins.BinOf(value));
            if (Counts[bin]++ == 0)
            {
                _touched[_touchedCount++] = bin;
            }

            return offset + bins.Shares.Length + 1;
        }
    }

    private sealed class Bucket
    {
        public long Slot { get; init; }

        public long[]? Drift { get; set; }

        public long Reviewed { get; set; }

        public long Wrong { get; set; }

        public void ClearDrift() => Drift = null;
    }
}
