namespace Lpp;

/// <summary>
/// Percentile bootstrap over records: <c>draws</c> resamples of the labelled records with replacement (the same
/// resample for every method, so differences are paired), each method's cost and ROC AUC computed on each resample,
/// and the interval read between the (1 − level)/2 and (1 + level)/2 quantiles (linear interpolation, numpy's
/// default). The same rows, draws and seed always give the same intervals.
/// </summary>
public static class Bootstrap
{
    /// <summary>Intervals of every method the labelled <paramref name="rows"/> were routed by (those of <see cref="Evaluator.Methods"/> present).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="draws"/> is below 1 or <paramref name="level"/> is not in (0, 1).</exception>
    public static IReadOnlyDictionary<Method, MethodIntervals> Intervals(IReadOnlyList<EvaluatedRecord> rows, CostModel cost, int draws, int seed, double level = 0.95)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(cost);
        ArgumentOutOfRangeException.ThrowIfLessThan(draws, 1);
        if (!(level > 0 && level < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(level), level, "level must be strictly between 0 and 1");
        }

        var labelled = rows.Where(r => r.Correct is not null).ToList();
        var n = labelled.Count;
        IReadOnlyList<Method> methodList = n == 0 ? Evaluator.Methods : [.. Evaluator.Methods.Where(labelled[0].Scores.ContainsKey)];
        var methods = methodList.Count;
        var result = new Dictionary<Method, MethodIntervals>();
        if (n == 0)
        {
            foreach (var method in methodList)
            {
                result[method] = new MethodIntervals(Interval.Undefined, Interval.Undefined);
            }

            return result;
        }

        var labels = labelled.Select(r => r.Correct == true ? 1 : 0).ToArray();
        var itemCosts = new double[methods][];
        var scores = new double[methods][];
        for (var m = 0; m < methods; m++)
        {
            var method = methodList[m];
            itemCosts[m] = labelled.Select(r => (r.Cost ?? cost).ItemCost(r.Trust[method], r.Correct == true)).ToArray();
            scores[m] = labelled.Select(r => double.IsNaN(r.Scores[method]) ? double.MinValue : r.Scores[method]).ToArray();
        }

        var random = new Random(seed);
        var index = new int[n];
        var sampleScores = new double[n];
        var sampleLabels = new int[n];
        var costDraws = new List<double>[methods];
        var aucDraws = new List<double>[methods];
        for (var m = 0; m < methods; m++)
        {
            costDraws[m] = new List<double>(draws);
            aucDraws[m] = new List<double>(draws);
        }

        for (var d = 0; d < draws; d++)
        {
            var positives = 0;
            for (var i = 0; i < n; i++)
            {
                index[i] = random.Next(n);
                sampleLabels[i] = labels[index[i]];
                positives += sampleLabels[i];
            }

            var bothClasses = positives > 0 && positives < n;
            for (var m = 0; m < methods; m++)
            {
                var total = 0.0;
                for (var i = 0; i < n; i++)
                {
                    total += itemCosts[m][index[i]];
                    sampleScores[i] = scores[m][index[i]];
                }

                costDraws[m].Add(total);
                if (bothClasses)
                {
                    aucDraws[m].Add(Metrics.RocAuc(sampleScores, sampleLabels));
                }
            }
        }

        var low = (1 - level) / 2;
        var high = 1 - low;
        for (var m = 0; m < methods; m++)
        {
            var constant = scores[m].All(s => s == scores[m][0]);
            result[methodList[m]] = new MethodIntervals(
                new Interval(Percentile(costDraws[m], low), Percentile(costDraws[m], high)),
                constant ? Interval.Undefined : new Interval(Percentile(aucDraws[m], low), Percentile(aucDraws[m], high)));
        }

        return result;
    }

    /// <summary>The q-quantile (0 ≤ q ≤ 1) with linear interpolation between order statistics: position q·(n − 1) (numpy's default); NaN for no values.</summary>
    public static double Percentile(IReadOnlyCollection<double> values, double q)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count == 0)
        {
            return double.NaN;
        }

        var sorted = values.Order().ToArray();
        var position = q * (sorted.Length - 1);
        var below = (int)Math.Floor(position);
        var above = Math.Min(below + 1, sorted.Length - 1);
        return sorted[below] + ((position - below) * (sorted[above] - sorted[below]));
    }
}
