namespace Lpp;

/// <summary>Scores labelled records with every routing method of a model and measures each against the truth.</summary>
public static class Evaluator
{
    /// <summary>The methods compared, in report order.</summary>
    public static IReadOnlyList<string> Methods { get; } = ["always_trust", .. BaselineThreshold.Names, "meta_model"];

    /// <summary>
    /// Routes every record with every method; with <paramref name="costs"/> (or the model's own costs by severity)
    /// the meta-model routes each item at the threshold of its own costs, and every method's cost is counted in them.
    /// </summary>
    public static EvaluationSet Score(EscalationModel model, IEnumerable<DecisionRecord> records, SeverityCosts? costs = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(records);
        var router = new Router(model, costs);
        var extractor = model.CreateExtractor();
        var features = new double[FeatureSchema.Count];
        var rows = new List<EvaluatedRecord>();
        foreach (var record in records)
        {
            extractor.Extract(record, features);
            var decision = router.Route(record, features);
            var scores = new double[Methods.Count];
            var trust = new bool[Methods.Count];
            scores[0] = 1;
            trust[0] = true;
            for (var b = 0; b < model.Baselines.Length; b++)
            {
                var index = IndexOf(model.Baselines[b].Name);
                if (index >= 0)
                {
                    scores[index] = model.Baselines[b].Score(features);
                    trust[index] = model.Baselines[b].Trusts(features);
                }
            }

            scores[^1] = decision.Score;
            trust[^1] = decision.Trust;
            rows.Add(new EvaluatedRecord(record.Id, record.Source, record.Correct, scores, trust)
            {
                Forced = decision.Reason is not (RoutingReason.Confident or RoutingReason.LowConfidence),
                Cost = decision.Costs,
            });
        }

        return new EvaluationSet(model, rows) { Costs = router.Costs };
    }

    /// <summary>Measures one method over the labelled rows; the cost is counted in each row's own costs where it has them.</summary>
    public static MethodMetrics Measure(IReadOnlyList<EvaluatedRecord> rows, int method, CostModel cost, double? tau)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(cost);
        int tp = 0, fp = 0, tn = 0, fn = 0;
        var ownCosts = 0.0;
        var anyOwnCost = false;
        var scores = new List<double>();
        var labels = new List<int>();
        foreach (var row in rows)
        {
            if (row.Correct is not { } correct)
            {
                continue;
            }

            var trusted = row.Trust[method];
            ownCosts += (row.Cost ?? cost).ItemCost(trusted, correct);
            anyOwnCost |= row.Cost is not null;
            _ = (trusted, correct) switch
            {
                (true, true) => tp++,
                (true, false) => fp++,
                (false, false) => tn++,
                _ => fn++,
            };
            var score = row.Scores[method];
            scores.Add(double.IsNaN(score) ? double.MinValue : score);
            labels.Add(correct ? 1 : 0);
        }

        var bothClasses = labels.Contains(0) && labels.Contains(1);
        var f1Error = F1(tn, fn, fp);
        var f1Correct = F1(tp, fp, fn);
        return new MethodMetrics
        {
            Auc = bothClasses ? Metrics.RocAuc(scores.ToArray(), labels.ToArray()) : double.NaN,
            F1Error = f1Error,
            MacroF1 = (f1Error + f1Correct) / 2,
            Cost = anyOwnCost ? ownCosts : cost.Cost(fp, tn, fn),
            Tp = tp,
            Fp = fp,
            Tn = tn,
            Fn = fn,
            Tau = tau,
        };
    }

    /// <summary>F1 = 2·hits / (2·hits + false alarms + misses); 0 when there is nothing to find or flag (scikit-learn's zero_division=0).</summary>
    private static double F1(int hits, int falseAlarms, int misses) =>
        (2 * hits) + falseAlarms + misses == 0 ? 0 : 2.0 * hits / ((2 * hits) + falseAlarms + misses);

    private static int IndexOf(string method)
    {
        for (var i = 0; i < Methods.Count; i++)
        {
            if (string.Equals(Methods[i], method, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }
}
