namespace Lpp;

/// <summary>
/// The data behind the evaluation plots: ROC curves, the reliability diagram and cost against threshold. Scores are
/// confidences (higher = more likely right); a NaN score (missing signal) ranks lowest and is always escalated.
/// </summary>
public static class Curves
{
    /// <summary>
    /// ROC points from (0, 0) to (1, 1), one per distinct score taken as threshold from the highest down; the area under
    /// them (trapezoids) equals <see cref="Metrics.RocAuc"/>. Empty when a class is missing.
    /// </summary>
    public static IReadOnlyList<RocPoint> Roc(ReadOnlySpan<double> scores, ReadOnlySpan<bool> correct)
    {
        CheckLengths(scores, correct);
        var right = 0;
        foreach (var c in correct)
        {
            right += c ? 1 : 0;
        }

        var wrong = correct.Length - right;
        if (right == 0 || wrong == 0)
        {
            return [];
        }

        var ranked = new double[scores.Length];
        for (var i = 0; i < scores.Length; i++)
        {
            ranked[i] = double.IsNaN(scores[i]) ? double.MinValue : scores[i];
        }

        var order = Ordered(ranked, correct);
        var points = new List<RocPoint> { new(0, 0) };
        int tp = 0, fp = 0;
        for (var i = 0; i < order.Length;)
        {
            var value = order[i].Score;
            while (i < order.Length && order[i].Score == value)
            {
                (order[i].Correct ? ref tp : ref fp)++;
                i++;
            }

            points.Add(new RocPoint((double)fp / wrong, (double)tp / right));
        }

        return points;
    }

    /// <summary>
    /// <paramref name="bins"/> equal-width bins over [0, 1] of a probability score: count, mean score and observed share
    /// right. NaN scores are left out. The counts sum to the number of non-NaN scores.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="bins"/> is below 1.</exception>
    public static IReadOnlyList<ReliabilityBin> Reliability(ReadOnlySpan<double> scores, ReadOnlySpan<bool> correct, int bins = 10)
    {
        CheckLengths(scores, correct);
        ArgumentOutOfRangeException.ThrowIfLessThan(bins, 1);
        var count = new int[bins];
        var sum = new double[bins];
        var right = new int[bins];
        for (var i = 0; i < scores.Length; i++)
        {
            if (double.IsNaN(scores[i]))
            {
                continue;
            }

            var b = Math.Clamp((int)Math.Floor(scores[i] * bins), 0, bins - 1);
            count[b]++;
            sum[b] += scores[i];
            right[b] += correct[i] ? 1 : 0;
        }

        var result = new ReliabilityBin[bins];
        for (var b = 0; b < bins; b++)
        {
            result[b] = new ReliabilityBin((double)b / bins, (double)(b + 1) / bins, count[b],
                count[b] == 0 ? double.NaN : sum[b] / count[b], count[b] == 0 ? double.NaN : (double)right[b] / count[b]);
        }

        return result;
    }

    /// <summary>
    /// Cost and escalation ratio at every threshold that changes a decision: one above the highest score (escalate
    /// everything scored), then each distinct score from the highest down (the last trusts everything scored).
    /// Ordered by increasing τ. NaN scores are escalated at every threshold.
    /// </summary>
    public static IReadOnlyList<CostCurvePoint> CostAgainstTau(ReadOnlySpan<double> scores, ReadOnlySpan<bool> correct, CostModel cost)
    {
        ArgumentNullException.ThrowIfNull(cost);
        CheckLengths(scores, correct);
        var n = scores.Length;
        if (n == 0)
        {
            return [];
        }

        var order = Ordered(scores, correct);
        var current = 0.0;
        var escalated = 0;
        foreach (var c in correct)
        {
            current += cost.ItemCost(trusted: false, c);
            escalated++;
        }

        var points = new List<CostCurvePoint>();
        var scored = order.Count(o => !double.IsNaN(o.Score));
        var top = scored == 0 ? 1.0 : Math.BitIncrement(order[0].Score);
        points.Add(new CostCurvePoint(top, current, (double)escalated / n));
        for (var i = 0; i < scored;)
        {
            var value = order[i].Score;
            while (i < scored && order[i].Score == value)
            {
                current += cost.ItemCost(trusted: true, order[i].Correct) - cost.ItemCost(trusted: false, order[i].Correct);
                escalated--;
                i++;
            }

            points.Add(new CostCurvePoint(value, current, (double)escalated / n));
        }

        points.Reverse();
        return points;
    }

    /// <summary>Scores in decreasing order, NaN last.</summary>
    private static (double Score, bool Correct)[] Ordered(ReadOnlySpan<double> scores, ReadOnlySpan<bool> correct)
    {
        var order = new (double Score, bool Correct)[scores.Length];
        for (var i = 0; i < scores.Length; i++)
        {
            order[i] = (scores[i], correct[i]);
        }

        Array.Sort(order, (a, b) => double.IsNaN(a.Score) ? (double.IsNaN(b.Score) ? 0 : 1) : double.IsNaN(b.Score) ? -1 : b.Score.CompareTo(a.Score));
        return order;
    }

    private static void CheckLengths(ReadOnlySpan<double> scores, ReadOnlySpan<bool> correct)
    {
        if (scores.Length != correct.Length)
        {
            throw new ArgumentException($"{scores.Length} scores but {correct.Length} outcomes");
        }
    }
}
