using System.Text;
using static Lpp.Cli.Reports.ReportText;

namespace Lpp.Cli.Reports;

/// <summary>The files of <c>lpp experiment</c>: report.md, report.html (self-contained) and the plots, led by the verdict.</summary>
internal static class ExperimentReport
{
    /// <summary>Writes the report into <paramref name="folder"/> and commits it; <paramref name="notes"/> (Markdown) goes under the verdict.</summary>
    public static void Write(ExperimentResult result, ReportFolder folder, string? notes = null, string? markdownCopy = null, string? producedBy = null)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(folder);
        WritePlots(result, folder.File);
        using (var stream = File.Create(folder.File("results.json")))
        {
            ExperimentResultsJson.Write(result, stream);
        }

        var markdown = Markdown(result, notes);
        File.WriteAllText(folder.File("report.md"), markdown);
        File.WriteAllText(folder.File("report.html"), MarkdownHtml.Convert(markdown, Title(result), folder.Staging));
        folder.Commit();
        if (markdownCopy is not null)
        {
            var relative = Path.GetRelativePath(Path.GetDirectoryName(Path.GetFullPath(markdownCopy))!, folder.Target).Replace('\\', '/');
            using var writer = OutputFiles.CreateText(markdownCopy, "--markdown");
            var markdown2 = Markdown(result, notes, relative + "/");
            if (producedBy is not null)
            {
                var firstBreak = markdown2.IndexOf("\n\n", StringComparison.Ordinal);
                markdown2 = markdown2[..(firstBreak + 2)] + $"Produced by this command at the repository root; its images and report.html land in the `--output` folder (not committed, regenerate them with the command):\n\n```\n{producedBy}\n```\n\n" + markdown2[(firstBreak + 2)..];
            }

            writer.Write(markdown2);
        }
    }

    /// <summary>The file-name stem of a dataset's plots ("gpt-4o/boolq" → "gpt-4o-boolq").</summary>
    public static string Slug(string name) => new([.. name.Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' ? c : '-')]);

    private static void WritePlots(ExperimentResult result, Func<string, string> path)
    {
        if (result.Options.Ablations)
        {
            var bars = Ablation.Families.Select(f =>
            {
                var changes = result.Datasets.Select(d => d.Ablation(f)).Where(c => c.CostChange.Count > 0).ToList();
                return ($"{f}", changes.Sum(c => c.CostChange.Mean), result.Options.Repeats > 1 ? Math.Sqrt(changes.Sum(c => c.CostChange.Sd * c.CostChange.Sd)) : double.NaN);
            }).ToList();
            var title = result.Datasets.Count == 1 ? "Test cost change when a family is left out" : "Test cost change when a family is left out, summed over datasets";
            Plots.Ablation(bars, result.Options.Repeats > 1 ? title + " (± sd over splits)" : title + " (one split: no spread to show)", path("ablation.png"));
        }

        foreach (var d in result.Datasets)
        {
            if (d is not { FirstEvaluation: { } first, FirstModel: { } model })
            {
                continue;
            }

            var slug = Slug(d.Name);
            Plots.Roc(first.Curves, path($"{slug}-roc.png"));
            Plots.Reliability(first.Reliability, path($"{slug}-reliability.png"));
            Plots.EscalationAgainstCost(first.Curves, first.Methods, path($"{slug}-escalation-cost.png"));
            Plots.CostAgainstTau(first.Curves.Single(c => c.Method == Method.MetaModel), path($"{slug}-cost-tau-meta_model.png"));
            Plots.Coefficients(model, path($"{slug}-coefficients.png"));
            if (d.FirstAnalysis is { Features.Count: > 1 } analysis)
            {
                Plots.CorrelationHeatmap(analysis, path($"{slug}-correlations.png"));
            }
        }
    }

    private static string Title(ExperimentResult r) =>
        Inv($"Experiment: the {r.Options.Recipe.Name()} recipe on {(r.Datasets.Count == 1 ? r.Datasets[0].Name : $"{r.Datasets.Count} datasets")}");

    /// <summary>report.md; <paramref name="images"/> prefixes every image link.</summary>
    public static string Markdown(ExperimentResult r, string? notes = null, string images = "")
    {
        var o = r.Options;
        var sb = new StringBuilder();
        sb.Append("# ").Append(Title(r)).Append("\n\n");
        sb.Append(r.Verdict()).Append("\n\n");
        if (!string.IsNullOrWhiteSpace(notes))
        {
            sb.Append(notes.Trim()).Append("\n\n");
        }

        sb.Append("## Protocol\n\n");
        var split = o.TestErrors is { } n ? Inv($"a test set of exactly {n} LLM errors plus correct answers in each dataset's natural ratio") : Inv($"a stratified {Percent(1 - o.TestFraction)}/{Percent(o.TestFraction)} train/test split");
        sb.Append(Inv($"Each dataset: {split}, {o.Repeats} time(s) with seeds {o.Seed} to {o.Seed + o.Repeats - 1}; the {o.Recipe.Name()} recipe trained on the training part (which alone chooses every threshold); every method measured once on the untouched test part. "));
        sb.Append(Inv($"Cost model: {o.Cost.FormName} form, c_error {o.Cost.CError:G}, c_review {o.Cost.CReview:G}; costs are totals over a test set (lower is better). "));
        sb.Append(o.Repeats > 1 ? "Numbers are mean ± standard deviation over the splits. " : "With one split there is no spread; the detailed sections give bootstrap intervals. ");
        sb.Append("The best single signal is the baseline (msp, top2_margin, entropy, verbalized) with the lowest mean test cost on that dataset.\n\n");

        sb.Append("## Results per dataset\n\n");
        sb.Append("| dataset | model | task | records | errors | test errors | always trust | best signal | signal cost | meta-model cost | vs signal | vs always trust | escalated | meta-model AUC | signal AUC | F1 (error) |\n");
        sb.Append("|---|---|---|---:|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        foreach (var d in r.Datasets)
        {
            var best = d.BestBaseline;
            var meta = d.Cost(Method.MetaModel);
            var always = d.Cost(Method.AlwaysTrust);
            var signal = best is { } b ? d.Cost(b) : Spread.Of([]);
            var signalAuc = best is { } c ? d.Auc(c) : Spread.Of([]);
            sb.Append(Inv($"| {d.Name} | {d.Model} | {d.Task} | {d.Records} | {d.Errors} | {MeanSd(d.TestErrors, "0.#")} | {MeanSd(always, "F2")} | {best?.Name ?? "—"} | {MeanSd(signal, "F2")} | {MeanSd(meta, "F2")} | {Change(meta.Mean, signal.Mean)} | {Change(meta.Mean, always.Mean)} | {Percent(d.EscalationRatio(Method.MetaModel).Mean)} | {MeanSd(d.Auc(Method.MetaModel), "F3")} | {MeanSd(signalAuc, "F3")} | {MeanSd(d.F1Error(Method.MetaModel), "F3")} |\n"));
        }

        MethodsTable(sb, r);
        SkippedList(sb, r);

        sb.Append("\n## Verdict per model\n\n");
        foreach (var model in r.Datasets.GroupBy(d => d.Model))
        {
            var helps = model.Where(d => r.Outcome(d) == DatasetOutcome.Helps).Select(d => d.Task == "-" ? d.Name : d.Task).ToList();
            var hurts = model.Where(d => r.Outcome(d) == DatasetOutcome.Hurts).Select(d => d.Task == "-" ? d.Name : d.Task).ToList();
            var unclear = model.Where(d => r.Outcome(d) == DatasetOutcome.Unclear).Select(d => d.Task == "-" ? d.Name : d.Task).ToList();
            sb.Append(Inv($"### {model.Key}\n\n"));
            sb.Append(Inv($"Helps on {List(helps)}; no clear difference on {List(unclear)}; worse on {List(hurts)}.\n\n"));
            foreach (var d in model)
            {
                sb.Append(Inv($"- **{d.Name}**: {r.Explain(d)}\n"));
            }

            sb.Append('\n');
        }

        if (o.Ablations)
        {
            sb.Append("## Feature-family ablations\n\n");
            sb.Append("Test cost change when the meta-model is retrained without one family (positive = the family was saving cost; — = the model read no feature of it). A: top-k distribution, B: label distribution, C: log-odds margins, D: reasoning likelihood, E: reasoning token uncertainty, F: verbalized confidence, G: abstention attribution.\n\n");
            sb.Append(Inv($"![Ablations]({images}ablation.png)\n\n"));
            sb.Append("| dataset | ").Append(string.Join(" | ", Ablation.Families)).Append(" |\n|---|").Append(string.Concat(Ablation.Families.Select(_ => "---:|"))).Append('\n');
            foreach (var d in r.Datasets)
            {
                sb.Append(Inv($"| {d.Name} | {string.Join(" | ", Ablation.Families.Select(f => d.Ablation(f) is var a && a.InModel ? MeanSd(a.CostChange, "+0.00;-0.00;0.00") : "—"))} |\n"));
            }

            sb.Append("\nAUC change without each family:\n\n");
            sb.Append("| dataset | ").Append(string.Join(" | ", Ablation.Families)).Append(" |\n|---|").Append(string.Concat(Ablation.Families.Select(_ => "---:|"))).Append('\n');
            foreach (var d in r.Datasets)
            {
                sb.Append(Inv($"| {d.Name} | {string.Join(" | ", Ablation.Families.Select(f => d.Ablation(f) is var a && a.InModel ? MeanSd(a.AucChange, "+0.000;-0.000;0.000") : "—"))} |\n"));
            }

            sb.Append('\n');
        }

        GuaranteeSection(sb, r);
        FeatureSection(sb, r, images);
        sb.Append("## Cost-ratio sensitivity\n\n");
        sb.Append("The meta-model's test cost when a review costs r × c_error (the paper's Table 7): at its own tau (chosen at the training ratio), at the tau re-optimised for r in closed form for a calibrated score (1 − r/2 in the paper form, 1 − r absolute; no data looked at), and at the hindsight-best tau found by exact search on the test set itself (a bound no deployed threshold can promise).\n\n");
        sb.Append("| dataset | r | always trust | at chosen tau | re-optimised tau | at re-optimised tau | at hindsight tau |\n|---|---:|---:|---:|---:|---:|---:|\n");
        foreach (var d in r.Datasets)
        {
            foreach (var ratio in o.CostRatios)
            {
                var c = d.CostRatio(ratio);
                var cost = o.Cost with { CReview = ratio * o.Cost.CError };
                sb.Append(Inv($"| {d.Name} | {ratio:G} | {MeanSd(c.AlwaysTrust, "F2")} | {MeanSd(c.AtChosen, "F2")} | {cost.CalibratedOptimalThreshold:F3} | {MeanSd(c.AtReoptimised, "F2")} | {MeanSd(c.AtHindsight, "F2")} |\n"));
            }
        }

        sb.Append("\n## First split in detail\n\n");
        sb.Append("The first split of each dataset (seed ").Append(o.Seed.ToString(System.Globalization.CultureInfo.InvariantCulture))
          .Append(Inv($"), every method at the threshold its training part chose, with 95% bootstrap intervals over the test records ({o.Bootstrap} resamples).\n\n"));
        foreach (var d in r.Datasets)
        {
            var slug = Slug(d.Name);
            sb.Append(Inv($"### {d.Name}\n\n"));
            if (d.FirstEvaluation is not { } e)
            {
                sb.Append(Inv($"The meta-model could not be trained on the first split: {d.Splits[0].Skipped.GetValueOrDefault(Method.MetaModel, "no reason recorded")}.\n\n"));
                continue;
            }

            sb.Append(Inv($"{e.Labelled} test records, {e.Errors} LLM errors{(d.WithoutTruth > 0 ? Inv($"; {d.WithoutTruth} records without truth were left out of the experiment") : string.Empty)}. {EvaluationReport.Verdict(e)}\n\n"));
            EvaluationReport.MethodTable(sb, e.Methods, e.Intervals);
            sb.Append('\n');
            sb.Append(Inv($"![ROC curves: {d.Name}]({images}{slug}-roc.png)\n\n"));
            sb.Append(Inv($"![Reliability of the meta-model: {d.Name}]({images}{slug}-reliability.png)\n\n"));
            sb.Append(Inv($"![Cost against share escalated: {d.Name}]({images}{slug}-escalation-cost.png)\n\n"));
            sb.Append(Inv($"![Cost against tau of the meta-model: {d.Name}]({images}{slug}-cost-tau-meta_model.png)\n\n"));
            sb.Append(Inv($"![Coefficients by family: {d.Name}]({images}{slug}-coefficients.png)\n\n"));
        }

        return sb.ToString();
    }

    /// <summary>What the model sees, per dataset: groups of near-duplicate features with their net coefficient, then each feature's correlation with correctness, p-value and VIF, and the heatmap.</summary>
    private static void GuaranteeSection(StringBuilder sb, ExperimentResult r)
    {
        var o = r.Options;
        if (o.MaxTrustedErrors.Count == 0)
        {
            return;
        }

        sb.Append("## Trusted-error guarantee\n\n");
        sb.Append(Inv($"On every split the recipe also trained with `--max-trusted-error A` (confidence {o.Confidence:G}, {new EscalationTrainerOptions().CalibrationFraction:0%} of the training part held out to calibrate the threshold) and was measured on the untouched test part: the realised error rate among trusted items and the share escalated (mean ± sd over splits), on how many splits a threshold qualified (otherwise everything is escalated) and on how many the realised rate exceeded A, beside the cost-optimal model of the same split.\n\n"));
        sb.Append("| dataset | A | qualified | realised error among trusted | above A | escalated | cost | cost-optimal: error among trusted | escalated | cost |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        foreach (var d in r.Datasets)
        {
            foreach (var level in o.MaxTrustedErrors)
            {
                var g = d.Guarantee(level);
                sb.Append(Inv($"| {d.Name} | {level:G} | {g.Feasible} of {g.Splits} | {MeanSd(g.TrustedError, "F3")} | {g.Above} | {MeanSd(g.EscalationRatio, "F2")} | {MeanSd(g.Cost, "F2")} | {MeanSd(d.TrustedErrorRate(Method.MetaModel), "F3")} | {MeanSd(d.EscalationRatio(Method.MetaModel), "F2")} | {MeanSd(d.Cost(Method.MetaModel), "F2")} |\n"));
            }
        }

        sb.Append("\nA split where nothing is trusted has no error rate among trusted items: it counts towards \"qualified\" only when a threshold passed, and the realised rate is over the splits that trusted something.\n\n");
    }

    private static void FeatureSection(StringBuilder sb, ExperimentResult r, string images)
    {
        var analysed = r.Datasets.Where(d => d.FirstAnalysis is not null && d.FirstModel is not null).ToList();
        if (analysed.Count == 0)
        {
            return;
        }

        sb.Append("## What the model sees\n\n");
        sb.Append(Inv($"On the first split's training part, over the features its model reads: groups of near-duplicate features (|correlation| ≥ {FeatureAnalysis.DuplicateCorrelation:G} between the median-imputed features, linked in a chain), each led by its member most correlated with correctness; the group's net coefficient sums its members' ridge coefficients (standardised features), each signed + when it rises with the lead and − when it falls: the effect of the one signal they share, which single coefficients of collinear features do not show. Then each feature's Pearson correlation with correctness (1 = the LLM was right) on the records where it is present, its two-sided p-value, and its variance inflation factor (1 = independent of the others; above 10 = mostly said by them).\n\n"));
        foreach (var d in analysed)
        {
            var a = d.FirstAnalysis!;
            var coefficients = ModelReport.Coefficients(d.FirstModel!).ToDictionary(c => c.Name, c => c.Coefficient, StringComparer.Ordinal);
            sb.Append(Inv($"### {d.Name}: features\n\n"));
            sb.Append("| group (lead) | members | net coefficient | lead's r with correctness |\n|---|---|---:|---:|\n");
            foreach (var g in a.Groups)
            {
                var members = string.Join(" ", g.Members.Select((m, i) => (i == 0 ? string.Empty : g.Signs[i] > 0 ? "+ " : "− ") + m));
                sb.Append(Inv($"| {g.Lead} | {members} | {Num(ModelReport.NetCoefficient(g, coefficients), "+0.0000;-0.0000")} | {Num(a.Features.First(f => f.Name == g.Lead).Correlation, "+0.000;-0.000")} |\n"));
            }

            sb.Append("\n| feature | family | present | r with correctness | p-value | VIF | group |\n|---|---|---:|---:|---:|---:|---|\n");
            foreach (var f in a.Features)
            {
                sb.Append(Inv($"| {f.Name} | {f.Family} | {f.Present} | {Num(f.Correlation, "+0.000;-0.000")} | {ModelReport.PValue(f.PValue)} | {ModelReport.Vif(f.Vif)} | {a.Groups[f.Group].Lead} |\n"));
            }

            sb.Append('\n');
            if (a.Features.Count > 1)
            {
                sb.Append(Inv($"![Feature correlations: {d.Name}]({images}{Slug(d.Name)}-correlations.png)\n\n"));
            }
        }
    }

    /// <summary>Every method that ran, per dataset: mean ± sd over the splits of cost, AUC, F1 of the error class, escalation ratio and threshold.</summary>
    private static void MethodsTable(StringBuilder sb, ExperimentResult r)
    {
        sb.Append("\nEvery method per dataset (mean ± sd over the splits where it ran; tau is the threshold its training part chose):\n\n");
        sb.Append("| dataset | method | splits | cost | AUC | F1 (error) | escalated | tau | wrong among trusted |\n|---|---|---:|---:|---:|---:|---:|---:|---:|\n");
        foreach (var d in r.Datasets)
        {
            foreach (var m in d.Methods)
            {
                sb.Append(Inv($"| {d.Name} | {m} | {d.Runs(m)} | {MeanSd(d.Cost(m), "F2")} | {MeanSd(d.Auc(m), "F3")} | {MeanSd(d.F1Error(m), "F3")} | {MeanSd(d.EscalationRatio(m), "P1")} | {MeanSd(d.Tau(m), "F4")} | {MeanSd(d.TrustedErrorRate(m), "P1")} |\n"));
            }
        }
    }

    /// <summary>The methods that could not run on some split, with the reasons.</summary>
    private static void SkippedList(StringBuilder sb, ExperimentResult r)
    {
        var lines = r.Datasets.SelectMany(d => d.SkippedMethods.Select(m => Inv($"- {d.Name}: {m} {ExperimentResult.SkipText(d, m)}"))).ToList();
        if (lines.Count == 0)
        {
            return;
        }

        sb.Append("\nMethods that could not run (left out of the tables above where they did not):\n\n");
        foreach (var line in lines)
        {
            sb.Append(line).Append('\n');
        }
    }

    private static string List(List<string> items) => items.Count == 0 ? "none" : string.Join(", ", items);
}
