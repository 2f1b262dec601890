namespace Lpp;

/// <summary>
/// Chooses the threshold τ (trust iff score ≥ τ) that minimises a <see cref="CostModel"/>'s cost on labelled scores.
/// </summary>
public static class ThresholdSearch
{
    /// <summary>
    /// The paper's sweep: <paramref name="steps"/> evenly spaced thresholds from <paramref name="low"/> to
    /// <paramref name="high"/> inclusive (numpy linspace); the first threshold of least cost wins.
    /// </summary>
    public static double Grid(ReadOnlySpan<double> scores, ReadOnlySpan<bool> correct, CostModel cost, double low, double high, int steps)
    {
        ArgumentNullException.ThrowIfNull(cost);
        CheckLengths(scores, correct);
        var best = double.NaN;
        var bestCost = double.PositiveInfinity;
        for (var i = 0; i < steps; i++)
        {
            var tau = steps == 1 ? low : low + ((high - low) * i / (steps - 1));
            var c = CostAt(scores, correct, cost, tau);
            if (c < bestCost)
            {
                bestCost = c;
                best = tau;
            }
        }

        return best;
    }

    /// <summary>
    /// The exact optimum over every distinct split of the scores, in O(n log n): candidates are the midpoints between
    /// adjacent distinct scores, plus one below the lowest (trust all) and one above the highest (escalate all).
    /// Ties go to the lowest threshold (fewest escalations). A NaN score (a missing signal) is always escalated.
    /// </summary>
    public static double Exact(ReadOnlySpan<double> scores, ReadOnlySpan<bool> correct, CostModel cost) => Exact(scores, correct, cost, []);

    /// <summary>
    /// <see cref="Exact(ReadOnlySpan{double}, ReadOnlySpan{bool}, CostModel)"/> with each item's cost multiplied by its
    /// weight (<paramref name="weights"/> empty: every item weighs 1).
    /// </summary>
    public static double Exact(ReadOnlySpan<double> scores, ReadOnlySpan<bool> correct, CostModel cost, ReadOnlySpan<double> weights)
    {
        ArgumentNullException.ThrowIfNull(cost);
        CheckLengths(scores, correct);
        CheckWeights(weights, scores.Length);
        var order = new List<int>(scores.Length);
        var escalatedAlways = 0.0;
        for (var i = 0; i < scores.Length; i++)
        {
            if (double.IsNaN(scores[i]))
            {
                escalatedAlways += Weighted(weights, i, cost.ItemCost(trusted: false, correct[i]));
            }
            else
            {
                order.Add(i);
            }
        }

        var c = correct;
        var indices = order.ToArray();
        var keys = new double[indices.Length];
        for (var k = 0; k < indices.Length; k++)
        {
            keys[k] = scores[indices[k]];
        }

        Array.Sort(keys, indices);

        // Start with every scored item escalated (τ above the highest score), then lower τ past one distinct score at a time.
        var current = escalatedAlways;
        foreach (var i in indices)
        {
            current += Weighted(weights, i, cost.ItemCost(trusted: false, c[i]));
        }

        var bestCost = current;
        var best = keys.Length == 0 ? 1.0 : NextUp(keys[^1]);
        var j = keys.Length - 1;
        while (j >= 0)
        {
            var value = keys[j];
            while (j >= 0 && keys[j] == value)
            {
                current += Weighted(weights, indices[j], cost.ItemCost(true, c[indices[j]]) - cost.ItemCost(false, c[indices[j]]));
                j--;
            }

            if (current <= bestCost)
            {
                bestCost = current;
                best = j >= 0 ? (keys[j] + value) / 2 : value;
            }
        }

        return best;
    }

    /// <summary>Cost of trusting every item with score ≥ <paramref name="tau"/> (NaN scores escalated).</summary>
    public static double CostAt(ReadOnlySpan<double> scores, ReadOnlySpan<bool> correct, CostModel cost, double tau) => CostAt(scores, correct, cost, tau, []);

    /// <summary>Weighted cost of trusting every item with score ≥ <paramref name="tau"/>: FP, TN and FN summed over the items' weights (empty: every item weighs 1).</summary>
    public static double CostAt(ReadOnlySpan<double> scores, ReadOnlySpan<bool> correct, CostModel cost, double tau, ReadOnlySpan<double> weights)
    {
        ArgumentNullException.ThrowIfNull(cost);
        CheckLengths(scores, correct);
        CheckWeights(weights, scores.Length);
        double fp = 0, tn = 0, fn = 0;
        for (var i = 0; i < scores.Length; i++)
        {
            var trusted = scores[i] >= tau;
            var w = weights.IsEmpty ? 1.0 : weights[i];
            if (trusted && !correct[i])
            {
                fp += w;
            }
            else if (!trusted && !correct[i])
            {
                tn += w;
            }
            else if (!trusted)
            {
                fn += w;
            }
        }

        return cost.Cost(fp, tn, fn);
    }

    private static double NextUp(double x) => Math.BitIncrement(x);

    private static double Weighted(ReadOnlySpan<double> weights, int i, double cost) => weights.IsEmpty ? cost : weights[i] * cost;

    private static void CheckWeights(ReadOnlySpan<double> weights, int count)
    {
        if (!weights.IsEmpty)
        {
            SampleWeights.Check(weights, count, nameof(weights));
        }
    }

    private static void CheckLengths(ReadOnlySpan<double> scores, ReadOnlySpan<bool> correct)
    {
        if (scores.Length != correct.Length)
        {
            throw new ArgumentException($"{scores.Length} scores but {correct.Length} outcomes");
        }
    }
}
