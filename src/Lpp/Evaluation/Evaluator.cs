namespace Lpp;

/// <summary>Scores labelled records with every routing method of a model and measures each against the truth.</summary>
public static class Evaluator
{
    /// <summary>The methods of one model, in report order: always trust, the single signals, the meta-model.</summary>
    public static IReadOnlyList<Method> Methods { get; } = [Method.AlwaysTrust, .. Method.Signals, Method.MetaModel];

    /// <summary>
    /// Routes every record with every method; with <paramref name="costs"/> (or the model's own costs by severity)
    /// the meta-model routes each item at the threshold of its own costs, and every method's cost is counted in them.
    /// </summary>
    public static EvaluationSet Score(EscalationModel model, IEnumerable<DecisionRecord> records, SeverityCosts? costs = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(records);
        var router = new Router(model, costs);
        return new EvaluationSet(model, ScoreRows(model.CreateExtractor(), model.Baselines, records, router)) { Costs = router.Costs };
    }

    /// <summary>
    /// Routes every record with always-trust and <paramref name="baselines"/>, and with <paramref name="router"/>'s
    /// meta-model when there is one (an experiment split whose model could not be trained has none).
    /// </summary>
    internal static List<EvaluatedRecord> ScoreRows(LppFeatureExtractor extractor, IReadOnlyList<BaselineThreshold> baselines, IEnumerable<DecisionRecord> records, Router? router)
    {
        var features = new double[FeatureSchema.Count];
        var rows = new List<EvaluatedRecord>();
        foreach (var record in records)
        {
            extractor.Extract(record, features);
            var scores = new Dictionary<Method, double> { [Method.AlwaysTrust] = 1 };
            var trust = new Dictionary<Method, bool> { [Method.AlwaysTrust] = true };
            foreach (var baseline in baselines)
            {
                scores[baseline.Method] = baseline.Score(features);
                trust[baseline.Method] = baseline.Trusts(features);
            }

            var forced = false;
            CostModel? own = null;
            if (router is not null)
            {
                var decision = router.Route(record, features);
                scores[Method.MetaModel] = decision.Score;
                trust[Method.MetaModel] = decision.Trust;
                forced = decision.Reason is not (RoutingReason.Confident or RoutingReason.LowConfidence);
                own = decision.Costs;
            }

            rows.Add(new EvaluatedRecord(record.Id, record.Source, record.Correct, scores, trust) { Forced = forced, Cost = own });
        }

        return rows;
    }

    /// <summary>Measures one method over the labelled rows; the cost is counted in each row's own costs where it has them.</summary>
    public static MethodMetrics Measure(IReadOnlyList<EvaluatedRecord> rows, Method method, CostModel cost, double? tau)
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
}
