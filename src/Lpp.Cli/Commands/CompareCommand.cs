using System.CommandLine;
using System.Globalization;
using System.Text;

namespace Lpp.Cli.Commands;

/// <summary>
/// <c>lpp compare</c>: the default recipe against the paper's and the best single-signal baseline, per dataset, over
/// repeated seeded stratified splits: <c>lpp experiment</c>'s pipeline with <see cref="ExperimentOptions.Comparison"/>.
/// Writes the Markdown table the README shows.
/// </summary>
internal static class CompareCommand
{
    private static readonly Method Paper = Method.Trained(Recipe.Paper);

    /// <summary>Differences of summed costs below this are ties (floating-point rounding of equal policies).</summary>
    private const double Tolerance = 1e-9;

    public static Command Create()
    {
        var defaults = ExperimentOptions.Comparison;
        var input = CommonOptions.Inputs();
        var output = new Option<string?>("--output") { Description = "Also write the table to this Markdown file." };
        var repeats = new Option<int>("--repeats") { Description = "Seeded stratified splits per dataset.", DefaultValueFactory = _ => defaults.Repeats };
        var seed = new Option<int>("--seed") { Description = "Seed of the first split (the others follow).", DefaultValueFactory = _ => defaults.Seed };
        var testFraction = new Option<double>("--test-fraction") { Description = "Share of each dataset held out for testing.", DefaultValueFactory = _ => defaults.TestFraction };
        var cost = CostOptions.Create();
        var command = new Command("compare", "Compare the default recipe with the paper's and the best single signal over repeated splits of each input.")
        {
            input, output, repeats, seed, testFraction, cost.Error, cost.Review, cost.Model,
        };
        command.SetAction(parse =>
        {
            var inputs = CommonOptions.RequireInputs(parse.GetValue(input));
            var options = defaults with
            {
                Repeats = parse.GetValue(repeats),
                Seed = parse.GetValue(seed),
                TestFraction = parse.GetValue(testFraction),
                Cost = cost.Read(parse),
            };
            CommonOptions.Validated(options.Validate);
            OutputFiles.RefuseOverlap("--input", inputs, ("--output", parse.GetValue(output)));
            OutputFiles.CheckReadable(inputs, "--input");
            var result = ExperimentCommand.Run(inputs, options, "compare");
            var table = Table(result);
            Console.Write(table);
            if (parse.GetValue(output) is { } outputPath)
            {
                using var writer = OutputFiles.CreateText(outputPath, "--output");
                writer.Write(table);
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>The comparison table, its summary line, and one line per method that could not run on some split.</summary>
    internal static string Table(ExperimentResult result)
    {
        var sb = new StringBuilder();
        var inv = CultureInfo.InvariantCulture;
        var o = result.Options;
        sb.AppendLine(inv, $"Mean test cost ({o.Cost.FormName} form, c_error {o.Cost.CError:G}, c_review {o.Cost.CReview:G}; lower is better) and ROC AUC over {o.Repeats} seeded stratified {(1 - o.TestFraction) * 100:0}/{o.TestFraction * 100:0} splits.");
        sb.AppendLine();
        sb.AppendLine("| dataset | n | errors | always trust | escalate everything | default cost (± sd) | paper cost (± sd) | best baseline | baseline cost | default vs paper | default − cheapest simple (± 2 se) | default AUC | paper AUC | baseline AUC |");
        sb.AppendLine("|---|---:|---:|---:|---:|---:|---:|---|---:|---:|---|---:|---:|---:|");
        var wins = 0;
        var withinFive = 0;
        var compared = 0;
        var above = 0;
        var judged = 0;
        var (defaultTotal, paperTotal) = (0.0, 0.0);
        foreach (var r in result.Datasets)
        {
            var d = r.Cost(Method.MetaModel);
            var p = r.Cost(Paper);
            var best = r.BestBaseline;
            var change = (d.Mean - p.Mean) / Math.Abs(p.Mean);
            if (!double.IsNaN(change))
            {
                compared++;
                wins += d.Mean < p.Mean ? 1 : 0;
                withinFive += d.Mean <= p.Mean + (0.05 * Math.Abs(p.Mean)) ? 1 : 0;
                defaultTotal += d.Mean;
                paperTotal += p.Mean;
            }

            var (simple, difference) = r.CheapestSimplePolicy(o.Cost);
            var twoSe = difference.Count > 1 ? 2 * difference.Sd / Math.Sqrt(difference.Count) : double.NaN;
            var simpleText = "—";
            if (difference.Count > 1)
            {
                judged++;
                var isAbove = difference.Mean > twoSe + Tolerance;
                above += isAbove ? 1 : 0;
                simpleText = string.Create(inv, $"{difference.Mean:+0.00;-0.00;0.00} ± {twoSe:F2} ({simple}){(isAbove ? " **above**" : string.Empty)}");
            }

            sb.AppendLine(inv, $"| {r.Name} | {r.Records} | {r.Errors} | {Num(r.Cost(Method.AlwaysTrust).Mean, "F2")} | {Num(r.EscalateEverythingCost(o.Cost).Mean, "F2")} | {WithSd(d)}{Runs(r, Method.MetaModel)} | {WithSd(p)}{Runs(r, Paper)} | {best?.Name ?? "—"} | {(best is { } b ? Num(r.Cost(b).Mean, "F2") : "—")} | {(double.IsNaN(change) ? "—" : change.ToString("+0.0%;-0.0%;0.0%", inv))} | {simpleText} | {Num(r.Auc(Method.MetaModel).Mean, "F3")} | {Num(r.Auc(Paper).Mean, "F3")} | {(best is { } c ? Num(r.Auc(c).Mean, "F3") : "—")} |");
        }

        sb.AppendLine();
        sb.AppendLine(inv, $"default has the lower mean cost on {wins} of {compared} datasets and is within 5% of the paper's on {withinFive} of {compared}; summed over them, default {defaultTotal:F2} against paper {paperTotal:F2}.");
        sb.AppendLine(inv, $"default is above the cheapest simple policy (always trust, escalate everything or a single signal, the cheapest on the test parts: chosen in its favour) by more than two standard errors of the paired per-split difference on {above} of {judged} datasets.");
        var skipped = result.Datasets.SelectMany(r => r.SkippedMethods.Select(m => $"- {r.Name}: {(m == Method.MetaModel ? o.Recipe.Name() : m.Name)} {ExperimentResult.SkipText(r, m)}")).ToList();
        if (skipped.Count > 0)
        {
            sb.AppendLine();
            sb.AppendLine("Skipped (— in the table: the method could not run):");
            sb.AppendLine();
            foreach (var line in skipped)
            {
                sb.AppendLine(line);
            }
        }

        return sb.ToString();
    }

    private static string Runs(ExperimentDatasetResult r, Method method) =>
        r.Runs(method) is var runs && runs > 0 && runs < r.Splits.Count ? string.Create(CultureInfo.InvariantCulture, $" ({runs}/{r.Splits.Count} splits)") : string.Empty;

    private static string WithSd(Spread s) => double.IsNaN(s.Mean) ? "—" : string.Create(CultureInfo.InvariantCulture, $"{s.Mean:F2} ± {s.Sd:F2}");

    private static string Num(double value, string format) => double.IsNaN(value) ? "—" : value.ToString(format, CultureInfo.InvariantCulture);
}
