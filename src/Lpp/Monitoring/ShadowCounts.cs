using System.Globalization;

namespace Lpp;

/// <summary>
/// The running counts behind one <see cref="ShadowSummary"/>: constant memory (a few sums), whatever the number of
/// decisions. The estimate of each policy's expected cost per decision is the weighted mean of its cost over the
/// reviewed decisions, Σ w·cost / Σ w, with w the inverse of the probability of review (<see cref="ReviewWeight"/>),
/// so the audited trusted decisions stand for all trusted ones. Not thread-safe.
/// </summary>
internal sealed class ShadowCounts
{
    private long _decisions;
    private long _unscored;
    private long _agreed;
    private long _trusted;
    private long _escalated;
    private long _reviewedTrusted;
    private long _reviewedEscalated;
    private double _weight;
    private double _servingCost;
    private double _shadowCost;
    private double _weight2;
    private double _weight2Difference;
    private double _weight2Difference2;

    /// <exception cref="ArgumentException">A reviewed decision the shadow scored comes without its costs.</exception>
    public void Add(in MonitoredDecision d)
    {
        if (d.ShadowTrusted is not { } shadowTrusts)
        {
            _unscored++;
            return;
        }

        _decisions++;
        var servingTrusts = d.ModelTrusted;
        _agreed += shadowTrusts == servingTrusts ? 1 : 0;
        _trusted += d.Trusted ? 1 : 0;
        _escalated += d.Trusted ? 0 : 1;
        if (d.Verdict is null || ReviewWeight.Of(d.Trusted, d.Audited, d.AuditRate) is not { } w)
        {
            return;
        }

        var costs = d.Costs ?? throw new ArgumentException($"decision of model {d.Model}: a reviewed decision scored by a shadow model needs its costs", nameof(d));
        var correct = d.Verdict == d.Outcome;
        var serving = costs.ItemCost(servingTrusts, correct);
        var shadow = costs.ItemCost(shadowTrusts, correct);
        var difference = shadow - serving;
        _reviewedTrusted += d.Trusted ? 1 : 0;
        _reviewedEscalated += d.Trusted ? 0 : 1;
        _weight += w;
        _servingCost += w * serving;
        _shadowCost += w * shadow;
        _weight2 += w * w;
        _weight2Difference += w * w * difference;
        _weight2Difference2 += w * w * difference * difference;
    }

    public ShadowSummary Summarize()
    {
        var reviewed = _reviewedTrusted + _reviewedEscalated;
        if (Missing() is { } missing)
        {
            return new ShadowSummary(_decisions, _unscored, _agreed, reviewed, _reviewedTrusted, _weight, double.NaN, double.NaN, Interval.Undefined, missing);
        }

        var serving = _servingCost / _weight;
        var shadow = _shadowCost / _weight;
        var interval = Interval.Undefined;
        if (reviewed >= 2)
        {
            // The linearised variance of a ratio estimator: Σ w²(d − D)² / (Σ w)², with D the estimated difference.
            var difference = shadow - serving;
            var residual = _weight2Difference2 - (2 * difference * _weight2Difference) + (difference * difference * _weight2);
            var half = 1.959963984540054 * Math.Sqrt(Math.Max(0, residual)) / _weight;
            interval = new Interval(difference - half, difference + half);
        }

        return new ShadowSummary(_decisions, _unscored, _agreed, reviewed, _reviewedTrusted, _weight, shadow, serving, interval, null);
    }

    /// <summary>
    /// Why no estimate can be made: no reviewed decision, or a part of the traffic (trusted, escalated) with no reviewed
    /// decision to stand for it (then a weighted mean would describe the other part only); null when one can.
    /// </summary>
    private string? Missing()
    {
        var c = CultureInfo.InvariantCulture;
        if (_decisions == 0)
        {
            return "the shadow model scored no decision";
        }

        if (_reviewedTrusted + _reviewedEscalated == 0)
        {
            return string.Create(c, $"none of the {_decisions} decisions the shadow model scored has been reviewed");
        }

        if (_trusted > 0 && _reviewedTrusted == 0)
        {
            return string.Create(c, $"none of the {_trusted} trusted decisions was reviewed through the audit sample (serve with --audit-rate), so nothing stands for them");
        }

        return _escalated > 0 && _reviewedEscalated == 0
            ? string.Create(c, $"none of the {_escalated} escalated decisions has been reviewed yet, so nothing stands for them")
            : null;
    }
}
