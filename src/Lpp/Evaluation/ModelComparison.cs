using System.Globalization;

namespace Lpp;

/// <summary>
/// Two escalation models on the same labelled records (e.g. the one serving, A, and one retrained on reviewers'
/// verdicts, B): each routes every record at its own threshold (and its own costs by severity, or the ones given),
/// and both are measured in A's terms: each record's own costs where A routes with costs by severity, A's cost model
/// otherwise. The difference B − A in cost and in ROC AUC gets a paired percentile bootstrap interval (the same
/// resample of records for both models), and a one-line recommendation follows from the cost interval.
/// </summary>
public static class ModelComparison
{
    /// <summary>Compares <paramref name="a"/> and <paramref name="b"/> on the labelled <paramref name="records"/>.</summary>
    /// <exception cref="ArgumentException">No labelled record, or the records hold one class only.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="draws"/> below 1.</exception>
    public static ModelComparisonResult Compare(EscalationModel a, EscalationModel b, IEnumerable<DecisionRecord> records, int draws, int seed, SeverityCosts? costs = null)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        ArgumentNullException.ThrowIfNull(records);
        ArgumentOutOfRangeException.ThrowIfLessThan(draws, 1);
        var routerA = new Router(a, costs);
        var routerB = new Router(b, costs);
        var costA = new List<double>();
        var costB = new List<double>();
        var scoreA = new List<double>();
        var scoreB = new List<double>();
        var labels = new List<int>();
        var agree = 0;
        foreach (var record in records)
        {
            if (record.Correct is not { } correct)
            {
                continue;
            }

            var da = routerA.Route(record);
            var db = routerB.Route(record);
            var cost = da.Costs ?? a.Cost;
            costA.Add(cost.ItemCost(da.Trust, correct));
            costB.Add(cost.ItemCost(db.Trust, correct));
            scoreA.Add(da.Score);
            scoreB.Add(db.Score);
            labels.Add(correct ? 1 : 0);
            agree += da.Trust == db.Trust ? 1 : 0;
        }

        var n = labels.Count;
        var errors = labels.Count(l => l == 0);
        if (n == 0)
        {
            throw new ArgumentException("no record has a truth label: the comparison needs labelled records", nameof(records));
        }

        if (errors == 0 || errors == n)
        {
            throw new ArgumentException($"all {n} labelled answers are {(errors == 0 ? "correct" : "incorrect")}: the comparison needs both", nameof(records));
        }

        var random = new Random(seed);
        var index = new int[n];
        var costDraws = new List<double>(draws);
        var aucDraws = new List<double>(draws);
        var sampleA = new double[n];
        var sampleB = new double[n];
        var sampleLabels = new int[n];
        var bCheaper = 0;
        for (var d = 0; d < draws; d++)
        {
            var difference = 0.0;
            var positives = 0;
            for (var i = 0; i < n; i++)
            {
                var r = random.Next(n);
                index[i] = r;
                difference += costB[r] - costA[r];
                sampleA[i] = scoreA[r];
                sampleB[i] = scoreB[r];
                sampleLabels[i] = labels[r];
                positives += labels[r];
            }

            costDraws.Add(difference);
            bCheaper += difference < 0 ? 1 : 0;
            if (positives > 0 && positives < n)
            {
                aucDraws.Add(Metrics.RocAuc(sampleB, sampleLabels) - Metrics.RocAuc(sampleA, sampleLabels));
            }
        }

        var totalA = costA.Sum();
        var totalB = costB.Sum();
        var aucA = Metrics.RocAuc(scoreA.ToArray(), labels.ToArray());
        var aucB = Metrics.RocAuc(scoreB.ToArray(), labels.ToArray());
        var costInterval = new Interval(Bootstrap.Percentile(costDraws, 0.025), Bootstrap.Percentile(costDraws, 0.975));
        var aucInterval = aucDraws.Count == 0 ? Interval.Undefined : new Interval(Bootstrap.Percentile(aucDraws, 0.025), Bootstrap.Percentile(aucDraws, 0.975));
        return new ModelComparisonResult(n, errors, totalA, totalB, aucA, aucB, costInterval, aucInterval, (double)bCheaper / draws, (double)agree / n,
            Recommend(totalB - totalA, costInterval, n));
    }

    private static string Recommend(double difference, Interval interval, int n)
    {
        var text = string.Create(CultureInfo.InvariantCulture, $"B − A cost {difference:+0.00;-0.00;0.00} over {n} records, 95% interval [{interval.Low:+0.00;-0.00;0.00}, {interval.High:+0.00;-0.00;0.00}]");
        return interval.High < 0
            ? $"deploy B: it costs less than A beyond the noise ({text})"
            : interval.Low > 0
                ? $"keep A: B costs more beyond the noise ({text})"
                : $"keep A: no clear difference, the interval of the difference includes 0 ({text})";
    }
}
