using System.Collections.Immutable;

namespace Lpp;

/// <summary>
/// The running counts behind one <see cref="ModelSummary"/> (a model over the window, or over one period): constant
/// memory whatever the number of decisions (a few counters per queue and reason, and the drift bins). Not thread-safe.
/// </summary>
internal sealed class MonitorCounts(TrainingProfile? profile)
{
    private static readonly string OverCapacityReason = Queues.ReasonName(RoutingReason.OverCapacity);

    private readonly Dictionary<string, (long Decisions, long Pending, long OldestMs)> _queues = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (long Reviewed, long Right)> _overturn = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ShadowCounts> _shadows = new(StringComparer.Ordinal);
    private readonly DriftCounter? _drift = profile is null ? null : new DriftCounter(profile);
    private long _decisions;
    private long _escalated;
    private long _trusted;
    private long _overCapacity;
    private double _rateSum;
    private long _sampled;
    private int _auditReviewed;
    private int _auditErrors;
    private long _first = long.MaxValue;
    private long _last = long.MinValue;

    public void Add(in MonitoredDecision d, ReadOnlySpan<double> features)
    {
        _decisions++;
        _first = Math.Min(_first, d.CreatedMs);
        _last = Math.Max(_last, d.CreatedMs);
        Count(d.Queue, d, !d.Trusted && d.Verdict is null);
        if (d.Trusted)
        {
            _trusted++;
            _overCapacity += d.Reason == OverCapacityReason ? 1 : 0;
            _rateSum += d.AuditRate;
            if (d.Audited)
            {
                _sampled++;
                Count(Queues.Audit, d, d.Verdict is null);
                if (d.Verdict is not null)
                {
                    _auditReviewed++;
                    _auditErrors += d.Verdict == d.Outcome ? 0 : 1;
                }
            }
        }
        else
        {
            _escalated++;
            if (d.Verdict is not null)
            {
                var (reviewed, right) = _overturn.GetValueOrDefault(d.Reason);
                _overturn[d.Reason] = (reviewed + 1, right + (d.Verdict == d.Outcome ? 1 : 0));
            }
        }

        if (_drift is not null && !features.IsEmpty)
        {
            _drift.Add(d.Score, features);
        }

        if (d.Shadow is { } shadow)
        {
            if (!_shadows.TryGetValue(shadow, out var counts))
            {
                counts = new ShadowCounts();
                _shadows[shadow] = counts;
            }

            counts.Add(d);
        }
    }

    public ModelSummary Summarize(long nowMs)
    {
        var queues = _queues.ToImmutableSortedDictionary(
            q => q.Key,
            q => new QueueSummary(q.Value.Decisions, q.Value.Pending, q.Value.Pending == 0 ? double.NaN : Math.Max(0, nowMs - q.Value.OldestMs) / 1000.0),
            StringComparer.Ordinal);
        var audit = new AuditSummary(
            _trusted == 0 ? double.NaN : _rateSum / _trusted,
            new TrustedErrorEstimate(_sampled, _auditReviewed, _auditErrors),
            profile?.TrustedErrorRate ?? double.NaN);
        DriftSummary? drift = null;
        if (_drift is not null && profile is not null)
        {
            drift = new DriftSummary(
                _drift.ScorePsi,
                [.. _drift.FeaturePsi()],
                [.. profile.Score.Shares, profile.Score.MissingShare],
                _drift.ScoreShares());
        }

        return new ModelSummary(
            _decisions,
            _first,
            _last,
            _decisions == 0 ? double.NaN : (double)_escalated / _decisions,
            queues,
            audit,
            drift,
            _overturn.ToImmutableSortedDictionary(o => o.Key, o => new OverturnSummary(o.Value.Reviewed, o.Value.Right), StringComparer.Ordinal),
            _overCapacity)
        {
            Shadows = _shadows.ToImmutableSortedDictionary(s => s.Key, s => s.Value.Summarize(), StringComparer.Ordinal),
        };
    }

    private void Count(string queue, in MonitoredDecision d, bool pending)
    {
        var (decisions, waiting, oldest) = _queues.GetValueOrDefault(queue, (0, 0, long.MaxValue));
        _queues[queue] = (decisions + 1, waiting + (pending ? 1 : 0), pending ? Math.Min(oldest, d.CreatedMs) : oldest);
    }
}
