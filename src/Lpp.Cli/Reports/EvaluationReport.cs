using System.Text;
using System.Text.Json;
using static Lpp.Cli.Reports.ReportText;

namespace Lpp.Cli.Reports;

/// <summary>The files of <c>lpp evaluate</c>: metrics.json, the plots, report.md and report.html.</summary>
internal static class EvaluationReport
{
    /// <summary>The plot files, in report order, with their captions.</summary>
    public static IReadOnlyList<(string File, string Caption)> PlotFiles(string prefix = "") =>
    [
        ($"{prefix}roc.png", "ROC curves of every method"),
        ($"{prefix}reliability.png", "Reliability diagram of the meta-model, with records per bin"),
        ($"{prefix}escalation-cost.png", "Cost against the share of items escalated"),
        .. Evaluator.Methods.Where(m => m != Method.AlwaysTrust).Select(m => ($"{prefix}cost-tau-{m}.png", $"Expected cost against tau: {m}, chosen tau marked")),
        ($"{prefix}coefficients.png", "Meta-model coefficients by family"),
    ];

    /// <summary>Writes every file into <paramref name="folder"/>'s staging area and commits it.</summary>
    public static void Write(EvaluationSummary summary, string title, ReportFolder folder)
    {
        using (var stream = File.Create(folder.File("metrics.json")))
        {
            WriteMetrics(summary, stream);
        }

        WritePlots(summary, folder.File);
        var markdown = Markdown(summary, title);
        File.WriteAllText(folder.File("report.md"), markdown);
        File.WriteAllText(folder.File("report.html"), MarkdownHtml.Convert(markdown, title, folder.Staging));
        folder.Commit();
    }

    /// <summary>Writes the plots of one evaluation; <paramref name="path"/> maps a file name to where it goes.</summary>
    public static void WritePlots(EvaluationSummary summary, Func<string, string> path, string prefix = "")
    {
        Plots.Roc(summary.Curves, path($"{prefix}roc.png"));
        Plots.Reliability(summary.Reliability, path($"{prefix}reliability.png"));
        Plots.EscalationAgainstCost(summary.Curves, summary.Methods, path($"{prefix}escalation-cost.png"));
        foreach (var curves in summary.Curves.Where(c => c.Method != Method.AlwaysTrust))
        {
            Plots.CostAgainstTau(curves, path($"{prefix}cost-tau-{curves.Method}.png"));
        }

        Plots.Coefficients(summary.Model, path($"{prefix}coefficients.png"));
    }

    /// <summary>metrics.json: {"records", "labelled", "without_truth", "errors", "cost_model", "bootstrap", "methods", "groups"}.</summary>
    public static void WriteMetrics(EvaluationSummary s, Stream stream)
    {
        using var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        w.WriteStartObject();
        w.WriteNumber("records", s.Records);
        w.WriteNumber("labelled", s.Labelled);
        w.WriteNumber("without_truth", s.WithoutTruth);
        w.WriteNumber("errors", s.Errors);
        w.WriteStartObject("cost_model");
        w.WriteString("form", s.Model.Cost.FormName);
        w.WriteNumber("c_error", s.Model.Cost.CError);
        w.WriteNumber("c_review", s.Model.Cost.CReview);
        w.WriteEndObject();
        if (s.Set.Costs is { } severity)
        {
            // Every cost below is counted in each item's own costs, the meta-model at each item's own threshold.
            w.WritePropertyName("severity_costs");
            severity.Write(w);
        }

        w.WriteStartObject("bootstrap");
        w.WriteNumber("draws", s.BootstrapDraws);
        w.WriteNumber("seed", s.BootstrapSeed);
        w.WriteNumber("level", 0.95);
        w.WriteEndObject();
        w.WritePropertyName("methods");
        WriteMethods(w, s.Methods, s.Intervals);
        w.WriteStartObject("groups");
        foreach (var attribute in s.Groups.GroupBy(g => g.Attribute))
        {
            w.WriteStartObject(attribute.Key);
            foreach (var group in attribute)
            {
                w.WriteStartObject(group.Value);
                w.WriteNumber("records", group.Records);
                w.WriteNumber("errors", group.Errors);
                w.WritePropertyName("methods");
                WriteMethods(w, group.Methods, null);
                w.WriteEndObject();
            }

            w.WriteEndObject();
        }

        w.WriteEndObject();
        w.WriteEndObject();
    }

    /// <summary>One object, a property per method (in <see cref="Evaluator.Methods"/> order) with its metrics and, when given, intervals.</summary>
    public static void WriteMethods(Utf8JsonWriter w, IReadOnlyDictionary<Method, MethodMetrics> methods, IReadOnlyDictionary<Method, MethodIntervals>? intervals)
    {
        w.WriteStartObject();
        foreach (var method in Evaluator.Methods.Where(methods.ContainsKey))
        {
            w.WritePropertyName(method.Name);
            WriteMethod(w, methods[method], intervals?[method]);
        }

        w.WriteEndObject();
    }

    private static void WriteMethod(Utf8JsonWriter w, MethodMetrics m, MethodIntervals? ci)
    {
        w.WriteStartObject();
        Number(w, "auc", m.Auc);
        if (ci is not null)
        {
            Pair(w, "auc_ci95", ci.Auc);
        }

        Number(w, "f1_error", m.F1Error);
        Number(w, "macro_f1", m.MacroF1);
        Number(w, "cost", m.Cost);
        if (ci is not null)
        {
            Pair(w, "cost_ci95", ci.Cost);
        }

        w.WriteNumber("tp", m.Tp);
        w.WriteNumber("fp", m.Fp);
        w.WriteNumber("tn", m.Tn);
        w.WriteNumber("fn", m.Fn);
        w.WriteNumber("escalations", m.Escalations);
        Number(w, "escalation_ratio", m.EscalationRatio);
        Number(w, "trusted_error_rate", m.TrustedErrorRate);
        Pair(w, "trusted_error_ci95", m.TrustedErrorInterval);
        if (m.Tau is { } tau)
        {
            Number(w, "tau", tau);
        }
        else
        {
            w.WriteNull("tau");
        }

        w.WriteEndObject();
    }

    private static void Number(Utf8JsonWriter w, string name, double value)
    {
        if (double.IsFinite(value))
        {
            w.WriteNumber(name, Math.Round(value, 10));
        }
        else
        {
            w.WriteNull(name);
        }
    }

    private static void Pair(Utf8JsonWriter w, string name, Interval interval)
    {
        if (double.IsNaN(interval.Low))
        {
            w.WriteNull(name);
            return;
        }

        w.WriteStartArray(name);
        w.WriteNumberValue(Math.Round(interval.Low, 10));
        w.WriteNumberValue(Math.Round(interval.High, 10));
        w.WriteEndArray();
    }

    /// <summary>report.md: verdict, the method table with intervals, groups, plots.</summary>
    public static string Markdown(EvaluationSummary s, string title)
    {
        var sb = new StringBuilder();
        sb.Append("# ").Append(title).Append("\n\n");
        sb.Append(Verdict(s)).Append("\n\n");
        sb.Append(Inv($"{s.Records} records scored: {s.Labelled} with a truth are measured ({s.Errors} LLM errors, {Percent((double)s.Errors / s.Labelled)}); "));
        sb.Append(s.WithoutTruth == 0 ? "none is without truth.\n\n" : Inv($"{s.WithoutTruth} without truth are scored but left out of every metric.\n\n"));
        sb.Append(Inv($"Cost model: {s.Model.Cost.FormName} form, c_error {s.Model.Cost.CError:G}, c_review {s.Model.Cost.CReview:G} (lower is better; see the README). "));
        if (s.Set.Costs is { } severity)
        {
            sb.Append(Inv($"Costs by severity (by {severity.By ?? "nothing: default only"}): every method's cost is counted in each item's own costs, and the meta-model trusts each item at the threshold of its own costs ({string.Join("; ", severity.Describe(s.Model))}). "));
        }

        sb.Append(Inv($"Intervals: 95% percentile bootstrap over records, {s.BootstrapDraws} resamples, seed {s.BootstrapSeed}; two methods whose intervals overlap widely may not really differ.\n\n"));
        sb.Append("## Methods\n\n");
        MethodTable(sb, s.Methods, s.Intervals);
        foreach (var attribute in s.Groups.GroupBy(g => g.Attribute))
        {
            sb.Append(Inv($"\n## By {attribute.Key}\n\n"));
            sb.Append("Cost of each method per group (lower is better), and the meta-model's AUC.\n\n");
            sb.Append(Inv($"| {attribute.Key} | records | errors | {string.Join(" | ", Evaluator.Methods)} | meta_model AUC |\n"));
            sb.Append("|---|---:|---:|").Append(string.Concat(Evaluator.Methods.Select(_ => "---:|"))).Append("---:|\n");
            foreach (var g in attribute)
            {
                sb.Append(Inv($"| {g.Value} | {g.Records} | {g.Errors} | {string.Join(" | ", Evaluator.Methods.Select(m => Num(g.Methods[m].Cost, "F2")))} | {Num(g.Methods[Method.MetaModel].Auc, "F3")} |\n"));
            }
        }

        sb.Append("\n## Plots\n\n");
        foreach (var (file, caption) in PlotFiles())
        {
            sb.Append(Inv($"![{caption}]({file})\n\n"));
        }

        sb.Append("Reliability bins of the meta-model (labelled records):\n\n| bin | records | mean P(right) | share right |\n|---|---:|---:|---:|\n");
        foreach (var b in s.Reliability)
        {
            sb.Append(Inv($"| {b.Low:F1}–{b.High:F1} | {b.Count} | {Num(b.MeanScore, "F3")} | {Num(b.Accuracy, "F3")} |\n"));
        }

        return sb.ToString();
    }

    /// <summary>The table of every method: tau, cost with interval, AUC with interval, F1s, counts.</summary>
    public static void MethodTable(StringBuilder sb, IReadOnlyDictionary<Method, MethodMetrics> methods, IReadOnlyDictionary<Method, MethodIntervals>? intervals)
    {
        sb.Append(intervals is null
            ? "| method | tau | cost | AUC | F1 (error) | macro F1 | TP | FP | TN | FN | escalated |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n"
            : "| method | tau | cost | cost 95% CI | AUC | AUC 95% CI | F1 (error) | macro F1 | TP | FP | TN | FN | escalated | wrong among trusted (exact 95% CI) |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        foreach (var method in Evaluator.Methods)
        {
            var m = methods[method];
            var tau = m.Tau is { } t ? Threshold(t) : "—";
            var ci = intervals?[method];
            sb.Append(ci is null
                ? Inv($"| {method} | {tau} | {Num(m.Cost, "F2")} | {Num(m.Auc, "F3")} | {Num(m.F1Error, "F3")} | {Num(m.MacroF1, "F3")} | {m.Tp} | {m.Fp} | {m.Tn} | {m.Fn} | {m.Escalations} ({Percent(m.EscalationRatio)}) |\n")
                : Inv($"| {method} | {tau} | {Num(m.Cost, "F2")} | {Interval(ci.Cost, "F2")} | {Num(m.Auc, "F3")} | {Interval(ci.Auc, "F3")} | {Num(m.F1Error, "F3")} | {Num(m.MacroF1, "F3")} | {m.Tp} | {m.Fp} | {m.Tn} | {m.Fn} | {m.Escalations} ({Percent(m.EscalationRatio)}) | {TrustedError(m)} |\n"));
        }
    }

    /// <summary>"2.1% (1.0% – 3.9%), 3 of 142": the realised error rate among trusted items with its exact 95% interval.</summary>
    public static string TrustedError(MethodMetrics m) =>
        m.Trusted == 0 ? "— (none trusted)" : Inv($"{Percent(m.TrustedErrorRate)} ({Percent(m.TrustedErrorInterval.Low)} – {Percent(m.TrustedErrorInterval.High)}), {m.Fp} of {m.Trusted}");

    /// <summary>The computed one-paragraph verdict of an evaluation.</summary>
    public static string Verdict(EvaluationSummary s)
    {
        var meta = s.Methods[Method.MetaModel];
        var always = s.Methods[Method.AlwaysTrust];
        var best = Method.Signals.OrderBy(b => s.Methods[b].Cost).First();
        var baseline = s.Methods[best];
        var overlap = s.Intervals[Method.MetaModel].Cost.Contains(baseline.Cost) || s.Intervals[best].Cost.Contains(meta.Cost);
        var deployed = s.Model.Policy.IsLearned
            ? Inv($"At its threshold tau = {Num(s.Model.Tau, "F4")}, the meta-model")
            : $"The model deploys the simple policy {s.Model.Policy.Name} (its learned model was not reliably cheaper in training); the meta-model, so deployed,";
        return Inv($"{deployed} escalates {Percent(meta.EscalationRatio)} of items and changes expected cost by {Change(meta.Cost, always.Cost)} against always trusting the LLM and by {Change(meta.Cost, baseline.Cost)} against the best single signal ({best}, which escalates {Percent(baseline.EscalationRatio)}). ")
            + (overlap
                ? "The bootstrap intervals of the two overlap, so this difference may be noise."
                : "Neither lies inside the other's bootstrap interval, so the difference is unlikely to be noise.")
            + (meta.Trusted == 0
                ? " It trusts no item."
                : Inv($" Among the {meta.Trusted} items it trusts, {Percent(meta.TrustedErrorRate)} were wrong (exact 95% interval {Percent(meta.TrustedErrorInterval.Low)} – {Percent(meta.TrustedErrorInterval.High)})."));
    }
}
