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
        var measured = Datasets.Where(d => Outcome(d) != DatasetOutcome.NotMeasured).ToList();
        var notMeasured = Datasets.Where(d => Outcome(d) == DatasetOutcome.NotMeasured).ToList();
        var sb = new StringBuilder();
        var splits = Options.Repeats == 1 ? "one seeded split" : Inv($"{Options.Repeats} seeded splits");
        if (measured.Count > 0)
        {
            var always = measured.Sum(d => d.Cost(Method.AlwaysTrust).Mean);
            var meta = measured.Sum(d => d.Cost(Method.MetaModel).Mean);
            var best = measured.Sum(d => d.Cost(d.BestBaseline!.Value).Mean);
            var tested = measured.Sum(d => d.Splits.Where(s => s.Methods.ContainsKey(Method.MetaModel)).Average(s => s.TestRecords));
            var escalated = measured.Sum(d => d.Splits.Where(s => s.Methods.ContainsKey(Method.MetaModel)).Average(s => s.Methods[Method.MetaModel].Escalations));
            var share = tested == 0 ? 0 : escalated / tested;
            var scope = measured.Count == 1 ? Inv($"On {measured[0].Name} ({splits}, {measured[0].Splits.Average(s => s.TestRecords):0} test records each)") : Inv($"Over {measured.Count} datasets ({splits} each, costs summed)");
            sb.Append(Inv($"{scope}, the meta-model escalates {Percent(share)} of items and {Change(meta, always, "expected cost")} against always trusting the LLM and {Change(meta, best, "it")} against the best single signal"));
            sb.Append(measured.Count == 1 ? Inv($" ({measured[0].BestBaseline}).") : " of each dataset.");
            if (measured.Count > 1)
            {
                var wins = measured.Count(d => d.CostDifferenceToBestBaseline.Mean < 0);
                var clear = measured.Count(d => Outcome(d) == DatasetOutcome.Helps);
                var worse = measured.Count(d => Outcome(d) == DatasetOutcome.Hurts);
                sb.Append(Inv($" It has the lower mean cost on {wins} of {measured.Count} datasets; the gain is larger than the split-to-split noise on {clear}{(worse > 0 ? Inv($", and the loss on {worse}") : string.Empty)}."));
            }
            else if (Datasets.Count == 1)
            {
                sb.Append(' ').Append(Explain(Datasets[0]));
            }
        }

        foreach (var d in notMeasured)
        {
            sb.Append(sb.Length > 0 ? " " : string.Empty).Append(Inv($"On {d.Name} ({splits}) nothing was compared: {Explain(d)}"));
        }

        return sb.ToString();
    }

    /// <summary>Whether the meta-model beats the dataset's best single signal by more than the noise.</summary>
    public DatasetOutcome Outcome(ExperimentDatasetResult dataset)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        var diff = dataset.CostDifferenceToBestBaseline;
        if (diff.Count == 0)
        {
            return DatasetOutcome.NotMeasured;
        }

        if (diff.Count < 2)
        {
            return diff.Mean < 0 ? DatasetOutcome.Helps : diff.Mean > 0 ? DatasetOutcome.Hurts : DatasetOutcome.Unclear;
        }

        // Two standard errors of the mean paired difference.
        var noise = 2 * diff.Sd / Math.Sqrt(diff.Count);
        return diff.Mean < -noise ? DatasetOutcome.Helps : diff.Mean > noise ? DatasetOutcome.Hurts : DatasetOutcome.Unclear;
    }

    /// <summary>One sentence per dataset: the outcome against the best single signal and the reasons the numbers show.</summary>
    public string Explain(ExperimentDatasetResult dataset)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        if (Outcome(dataset) == DatasetOutcome.NotMeasured)
        {
            return NotMeasured(dataset);
        }

        var best = dataset.BestBaseline!.Value;
        var meta = dataset.Cost(Method.MetaModel).Mean;
        var baseline = dataset.Cost(best).Mean;
        var metaAuc = dataset.Auc(Method.MetaModel).Mean;
        var bestAuc = dataset.Auc(best).Mean;
        var errors = dataset.TestErrors.Mean;
        var sb = new StringBuilder();
        sb.Append(Outcome(dataset) switch
        {
            DatasetOutcome.Helps => Inv($"The meta-model helps: {Change(meta, baseline, "cost")} against {best}"),
            DatasetOutcome.Hurts => Inv($"The meta-model does worse: {Change(meta, baseline, "cost")} against {best}"),
            _ => Inv($"No clear difference: {Change(meta, baseline, "cost")} against {best}, within the split-to-split noise"),
        });
        sb.Append(Inv($" (AUC {metaAuc:F3} vs {bestAuc:F3})"));
        var reasons = new List<string>();
        if (errors < 20)
        {
            reasons.Add(Inv($"the test sets hold only {errors:0} LLM errors on average, so single errors move the cost"));
        }

        var escalated = dataset.EscalationRatio(Method.MetaModel).Mean;
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

    /// <summary>Why a dataset has no comparison: the skip reasons of the meta-model, or of every single signal.</summary>
    private static string NotMeasured(ExperimentDatasetResult dataset)
    {
        var missing = dataset.Runs(Method.MetaModel) == 0 ? [Method.MetaModel] : Method.Signals.Where(s => dataset.Runs(s) < dataset.Splits.Count).ToList();
        var reasons = missing.Select(m => Inv($"{m} {SkipText(dataset, m)}"));
        return string.Join("; ", reasons) + ".";
    }

    /// <summary>"skipped on 3 of 20 splits (reason)" for one method of one dataset.</summary>
    public static string SkipText(ExperimentDatasetResult dataset, Method method)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        var skips = dataset.Skips(method);
        var count = skips.Sum(s => s.Splits);
        return Inv($"skipped on {count} of {dataset.Splits.Count} split{(dataset.Splits.Count == 1 ? string.Empty : "s")} ({string.Join("; ", skips.Select(s => s.Reason))})");
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
