using System.CommandLine;
using System.Globalization;
using System.Text;

namespace Lpp.Cli.Commands;

/// <summary>
/// <c>lpp compare</c>: the default recipe against the paper's and the best single-signal baseline, per dataset, over
/// repeated seeded stratified splits. Writes the Markdown table the README shows.
/// </summary>
internal static class CompareCommand
{
    public static Command Create()
    {
        var input = CommonOptions.Inputs();
        var output = new Option<string?>("--output") { Description = "Also write the table to this Markdown file." };
        var repeats = new Option<int>("--repeats") { Description = "Seeded stratified splits per dataset.", DefaultValueFactory = _ => 20 };
        var seed = new Option<int>("--seed") { Description = "Seed of the first split (the others follow).", DefaultValueFactory = _ => 42 };
        var testFraction = new Option<double>("--test-fraction") { Description = "Share of each dataset held out for testing.", DefaultValueFactory = _ => 0.25 };
        var cost = CostOptions.Create();
        var command = new Command("compare", "Compare the default recipe with the paper's and the best single signal over repeated splits of each input.")
        {
            input, output, repeats, seed, testFraction, cost.Error, cost.Review, cost.Model,
        };
        command.SetAction(parse =>
        {
            var inputs = CommonOptions.RequireInputs(parse.GetValue(input));
            var n = parse.GetValue(repeats);
            if (n < 1)
            {
                throw new CliException($"--repeats {n}: must be at least 1");
            }

            var fraction = parse.GetValue(testFraction);
            if (fraction is <= 0 or >= 1)
            {
                throw new CliException($"--test-fraction {fraction.ToString(CultureInfo.InvariantCulture)}: must be between 0 and 1");
            }

            var costModel = cost.Read(parse);
            OutputFiles.RefuseOverlap("--input", inputs, ("--output", parse.GetValue(output)));
            OutputFiles.CheckReadable(inputs, "--input");
            var results = new List<RecipeComparisonResult>();
            foreach (var path in inputs)
            {
                var records = RecordLoading.Load([path], null, "compare");
                var name = DatasetName(path);
                Console.Error.Write($"compare: {name} ");
                results.Add(RecipeComparison.Run(name, records, n, parse.GetValue(seed), fraction, costModel, _ => Console.Error.Write('.')));
                Console.Error.WriteLine();
            }

            var table = Table(results, n, fraction, costModel);
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

    /// <summary>"model/task" from ".../model/task.jsonl".</summary>
    internal static string DatasetName(string path)
    {
        var file = Path.GetFileName(path);
        var stem = file.EndsWith(".jsonl.gz", StringComparison.Ordinal) ? file[..^9] : Path.GetFileNameWithoutExtension(file);
        var folder = Path.GetFileName(Path.GetDirectoryName(Path.GetFullPath(path)));
        return string.IsNullOrEmpty(folder) ? stem : $"{folder}/{stem}";
    }

    internal static string Table(IReadOnlyList<RecipeComparisonResult> results, int repeats, double testFraction, CostModel cost)
    {
        var sb = new StringBuilder();
        var inv = CultureInfo.InvariantCulture;
        sb.AppendLine(inv, $"Mean test cost ({cost.FormName} form, c_error {cost.CError:G}, c_review {cost.CReview:G}; lower is better) and ROC AUC over {repeats} seeded stratified {(1 - testFraction) * 100:0}/{testFraction * 100:0} splits.");
        sb.AppendLine();
        sb.AppendLine("| dataset | n | errors | always trust | default cost | paper cost | best baseline | baseline cost | default vs paper | default AUC | paper AUC | baseline AUC |");
        sb.AppendLine("|---|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|---:|");
        var wins = 0;
        var withinFive = 0;
        foreach (var r in results)
        {
            var d = r.MeanCost("default");
            var p = r.MeanCost("paper");
            var best = r.BestBaseline;
            var change = (d - p) / Math.Abs(p);
            wins += d < p ? 1 : 0;
            withinFive += d <= p + (0.05 * Math.Abs(p)) ? 1 : 0;
            var paperRuns = r.Runs("paper") < repeats ? $" ({r.Runs("paper")}/{repeats} splits)" : string.Empty;
            sb.AppendLine(inv, $"| {r.Dataset} | {r.Records} | {r.Errors} | {r.MeanCost("always_trust"):F2} | {d:F2} | {p:F2}{paperRuns} | {best} | {r.MeanCost(best):F2} | {change:+0.0%;-0.0%;0.0%} | {r.MeanAuc("default"):F3} | {r.MeanAuc("paper"):F3} | {r.MeanAuc(best):F3} |");
        }

        sb.AppendLine();
        sb.AppendLine(inv, $"default has the lower mean cost on {wins} of {results.Count} datasets and is within 5% of the paper's on {withinFive} of {results.Count}.");
        return sb.ToString();
    }
}
