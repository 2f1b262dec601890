using System.Globalization;
using System.Text;

namespace Lpp;

/// <summary>The experiment on every dataset, with its verdicts in plain words.</summary>
/// <param name="Options">The options it ran with.</param>
/// <param name="Datasets">One result per dataset, in input order.</param>
public sealed record ExperimentResult(ExperimentOptions Options, IReadOnlyList<ExperimentDatasetResult> Datasets)
{
    /// <summary>
    /// One paragraph on what the meta-model buys, computed from the mean test costs summed over the datasets: the
    /// share of items it escalates, its cost change against always trusting the LLM and against the best single
    /// signal of each dataset, and on how many datasets it wins by more than the noise.
    /// </summary>
    public string Verdict()
    {
        var always = Datasets.Sum(d => d.Cost("always_trust").Mean);
        var meta = Datasets.Sum(d => d.Cost("meta_model").Mean);
        var best = Datasets.Sum(d => d.Cost(d.BestBaseline).Mean);
        var tested = Datasets.Sum(d => d.Splits.Average(s => s.TestRecords));
        var escalated = Datasets.Sum(d => d.Splits.Average(s => s.Methods["meta_model"].Escalations));
        var share = tested == 0 ? 0 : escalated / tested;
        var sb = new StringBuilder();
        var splits = Options.Repeats == 1 ? "one seeded split" : Inv($"{Options.Repeats} seeded splits");
        var scope = Datasets.Count == 1 ? Inv($"On {Datasets[0].Name} ({splits}, {Datasets[0].Splits.Average(s => s.TestRecords):0} test records each)") : Inv($"Over {Datasets.Count} datasets ({splits} each, costs summed)");
        sb.Append(Inv($"{scope}, the meta-model escalates {Percent(share)} of items and {Change(meta, always, "expected cost")} against always trusting the LLM and {Change(meta, best, "it")} against the best single signal"));
        sb.Append(Datasets.Count == 1 ? Inv($" ({Datasets[0].BestBaseline}).") : " of each dataset.");
        if (Datasets.Count > 1)
        {
            var wins = Datasets.Count(d => d.CostDifferenceToBestBaseline.Mean < 0);
            var clear = Datasets.Count(d => Outcome(d) == DatasetOutcome.Helps);
            var worse = Datasets.Count(d => Outcome(d) == DatasetOutcome.Hurts);
            var noise = Options.Repeats > 1 ? "the split-to-split noise" : "the bootstrap intervals";
            sb.Append(Inv($" It has the lower mean cost on {wins} of {Datasets.Count} datasets; the gain is larger than {noise} on {clear}{(worse > 0 ? Inv($", and the loss on {worse}") : string.Empty)}."));
        }
        else
        {
            sb.Append(' ').Append(Explain(Datasets[0]));
        }

        return sb.ToString();
    }

    /// <summary>
    /// Whether the meta-model beats the dataset's best single signal by more than the noise: over several splits, two
    /// standard errors of the paired per-split difference; with one split, the 95% bootstrap intervals of the first
    /// split's evaluation (no clear difference when either method's cost lies in the other's interval, the rule the
    /// evaluation report states).
    /// </summary>
    public DatasetOutcome Outcome(ExperimentDatasetResult dataset)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        var diff = dataset.CostDifferenceToBestBaseline;
        if (diff.Count < 2)
        {
            var intervals = dataset.FirstEvaluation.Intervals;
            var best = dataset.BestBaseline;
            var overlap = intervals.TryGetValue("meta_model", out var meta) && intervals.TryGetValue(best, out var baseline)
                && (meta.Cost.Contains(dataset.Cost(best).Mean) || baseline.Cost.Contains(dataset.Cost("meta_model").Mean));
            return overlap ? DatasetOutcome.Unclear : diff.Mean < 0 ? DatasetOutcome.Helps : diff.Mean > 0 ? DatasetOutcome.Hurts : DatasetOutcome.Unclear;
        }

        // Two standard errors of the mean paired difference.
        var noise = 2 * diff.Sd / Math.Sqrt(diff.Count);
        return diff.Mean < -noise ? DatasetOutcome.Helps : diff.Mean > noise ? DatasetOutcome.Hurts : DatasetOutcome.Unclear;
    }

    /// <summary>One sentence per dataset: the outcome against the best single signal and the reasons the numbers show.</summary>
    public string Explain(ExperimentDatasetResult dataset)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        var best = dataset.BestBaseline;
        var meta = dataset.Cost("meta_model").Mean;
        var baseline = dataset.Cost(best).Mean;
        var metaAuc = dataset.Auc("meta_model").Mean;
        var bestAuc = dataset.Auc(best).Mean;
        var errors = dataset.TestErrors.Mean;
        var sb = new StringBuilder();
        sb.Append(Outcome(dataset) switch
        {
            DatasetOutcome.Helps => Inv($"The meta-model helps: {Change(meta, baseline, "cost")} against {best}"),
            DatasetOutcome.Hurts => Inv($"The meta-model does worse: {Change(meta, baseline, "cost")} against {best}"),
            _ => Inv($"No clear difference: {Change(meta, baseline, "cost")} against {best}, {(dataset.Splits.Count > 1 ? "within the split-to-split noise" : "within the bootstrap intervals of the one split")}"),
        });
        sb.Append(Inv($" (AUC {metaAuc:F3} vs {bestAuc:F3})"));
        var reasons = new List<string>();
        if (errors < 20)
        {
            reasons.Add(Inv($"the test sets hold only {errors:0} LLM errors on average, so single errors move the cost"));
        }

        var escalated = dataset.EscalationRatio("meta_model").Mean;
        if (escalated > 0.9)
        {
            reasons.Add(Inv($"the LLM is wrong on {Percent((double)dataset.Errors / dataset.Records)} of these items, so escalating almost everything is cheapest and every method that does so ties"));
        }

        if (metaAuc - bestAuc < 0.01)
        {
            reasons.Add(Inv($"{best} alone already ranks the errors as well as the combined features"));
        }
        else if (metaAuc - bestAuc >= 0.03)
        {
            reasons.Add("the combined features rank the errors clearly better than any single signal");
        }

        var ablated = Ablation.Families.Select(f => (Family: f, Change: dataset.Ablation(f))).Where(a => a.Change.InModel && a.Change.CostChange.Count > 0).ToList();
        if (ablated.Count > 0)
        {
            var top = ablated.OrderByDescending(a => a.Change.CostChange.Mean).First();
            if (top.Change.CostChange.Mean > 0)
            {
                reasons.Add(Inv($"leaving out family {top.Family} costs most (+{top.Change.CostChange.Mean:F2})"));
            }
        }

        if (reasons.Count > 0)
        {
            sb.Append(": ").Append(string.Join("; ", reasons));
        }

        return sb.Append('.').ToString();
    }

    /// <summary>"cuts cost by 31%" or "raises cost by 4%" for the relative change of <paramref name="value"/> against <paramref name="reference"/>.</summary>
    private static string Change(double value, double reference, string noun)
    {
        var change = reference == 0 || double.IsNaN(reference) || double.IsNaN(value) ? 0 : (value - reference) / Math.Abs(reference);
        change = Math.Round(change, 2);
        return change < 0 ? Inv($"cuts {noun} by {Percent(-change)}") : change > 0 ? Inv($"raises {noun} by {Percent(change)}") : Inv($"leaves {noun} unchanged");
    }

    private static string Percent(double share) => (share * 100).ToString("0", CultureInfo.InvariantCulture) + "%";

    private static string Inv(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
