namespace Lpp;

/// <summary>
/// How the meta-model's cost moves with the review-to-error cost ratio (the paper's Table 7): at each ratio, the cost
/// at the model's τ (chosen at its own ratio), at the τ re-optimised in closed form for a calibrated score, and at the
/// hindsight-optimal τ found by exact search on the test records.
/// </summary>
public static class CostRatioSensitivity
{
    /// <summary>Measures the meta-model of <paramref name="set"/> on its labelled records at every ratio, keeping the model's c_error and cost form.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A ratio is not a positive finite number.</exception>
    public static IReadOnlyList<CostRatioPoint> Measure(EvaluationSet set, IReadOnlyList<double> ratios)
    {
        ArgumentNullException.ThrowIfNull(set);
        ArgumentNullException.ThrowIfNull(ratios);
        var labelled = set.Rows.Where(r => r.Correct is not null).ToList();
        var scores = labelled.Select(r => r.RoutedScore(Method.MetaModel)).ToArray();
        var correct = labelled.Select(r => r.Correct == true).ToArray();
        var result = new List<CostRatioPoint>();
        foreach (var ratio in ratios)
        {
            if (!(ratio > 0) || !double.IsFinite(ratio))
            {
                throw new ArgumentOutOfRangeException(nameof(ratios), ratio, $"cost ratio {ratio} must be a positive number");
            }

            var cost = set.Model.Cost with { CReview = ratio * set.Model.Cost.CError };
            var closed = cost.CalibratedOptimalThreshold;
            var hindsight = ThresholdSearch.Exact(scores, correct, cost);
            result.Add(new CostRatioPoint(
                ratio,
                ThresholdSearch.CostAt(new double[scores.Length], correct, cost, double.NegativeInfinity),
                set.Model.Tau,
                ThresholdSearch.CostAt(scores, correct, cost, set.Model.Tau),
                closed,
                ThresholdSearch.CostAt(scores, correct, cost, closed),
                hindsight,
                ThresholdSearch.CostAt(scores, correct, cost, hindsight)));
        }

        return result;
    }
}
