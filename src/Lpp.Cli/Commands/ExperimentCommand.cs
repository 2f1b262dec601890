using System.CommandLine;
using System.Globalization;
using Lpp.Cli.Reports;

namespace Lpp.Cli.Commands;

/// <summary><c>lpp experiment</c>: the paper's protocol end to end (split, train, evaluate, ablate, vary the cost ratio) with one report.</summary>
internal static class ExperimentCommand
{
    public static Command Create()
    {
        var input = CommonOptions.Inputs();
        var output = new Option<string?>("--output") { Description = "Folder for report.md, report.html and the plots (created if needed).", Required = true };
        var defaults = new ExperimentOptions();
        var recipe = CommonOptions.Recipe("default (ours) or paper.");
        var compareRecipe = new Option<string?>("--compare-recipe") { Description = "Also train this recipe on every split and report it as a method beside the meta-model." };
        compareRecipe.AcceptOnlyFromAmong([.. RecipeNames.All]);
        var testFraction = new Option<double>("--test-fraction") { Description = "Share of each dataset held out for testing (stratified).", DefaultValueFactory = _ => defaults.TestFraction };
        var testErrors = new Option<int?>("--test-errors") { Description = "Instead: exactly this many LLM errors in each test set, correct answers in the natural ratio." };
        var repeats = new Option<int>("--repeats") { Description = "Seeded splits per dataset; numbers are mean ± sd over them.", DefaultValueFactory = _ => defaults.Repeats };
        var seed = new Option<int>("--seed") { Description = "Seed of the first split (the others follow), of training and of the bootstrap.", DefaultValueFactory = _ => defaults.Seed };
        var ratios = new Option<string>("--cost-ratios") { Description = "Review-to-error cost ratios of the sensitivity table, comma-separated.", DefaultValueFactory = _ => string.Join(',', defaults.CostRatios.Select(r => r.ToString(CultureInfo.InvariantCulture))) };
        var bootstrap = new Option<int>("--bootstrap") { Description = "Bootstrap resamples of the first split's intervals.", DefaultValueFactory = _ => defaults.Bootstrap };
        var noAblations = new Option<bool>("--no-ablations") { Description = "Skip the feature-family ablations (7 extra trainings per split)." };
        var notes = new Option<string?>("--notes") { Description = "A Markdown file placed under the verdict (context the data cannot tell)." };
        var markdown = new Option<string?>("--markdown") { Description = "Also write report.md here, image links pointing into --output." };
        var cost = CostOptions.Create();
        var capacity = new Option<double?>("--capacity")
        {
            Description = "Also replay each first test set in arrival order with review capacity for this share of items (0-1), against the unconstrained policy and first-come-first-served admission.",
        };
        var maxTrustedError = new Option<string?>("--max-trusted-error")
        {
            Description = "Also train with a guarantee on the error rate among trusted items at each of these levels (comma-separated, e.g. 0.05,0.10) on every split, and report the realised rate on the test part.",
        };
        var confidence = new Option<double>("--confidence") { Description = "Confidence of those guarantees.", DefaultValueFactory = _ => defaults.Confidence };
        var command = new Command("experiment", "Run the paper's protocol end to end on labelled records: split, train, evaluate, ablate feature families, vary the cost ratio, and write a report.")
        {
            input, output, recipe, compareRecipe, testFraction, testErrors, repeats, seed, ratios, bootstrap, noAblations, notes, markdown, cost.Error, cost.Review, cost.Model, capacity, maxTrustedError, confidence,
        };
        command.SetAction(parse =>
        {
            var inputs = CommonOptions.RequireInputs(parse.GetValue(input));
            var options = new ExperimentOptions
            {
                Recipe = RecipeNames.Parse(parse.GetValue(recipe)),
                Cost = cost.Read(parse),
                TestFraction = parse.GetValue(testFraction),
                TestErrors = parse.GetValue(testErrors),
                Repeats = parse.GetValue(repeats),
                Seed = parse.GetValue(seed),
                CostRatios = ParseRatios(parse.GetValue(ratios)!),
                Bootstrap = parse.GetValue(bootstrap),
                Ablations = !parse.GetValue(noAblations),
                CompareRecipes = parse.GetValue(compareRecipe) is { } other ? [RecipeNames.Parse(other)] : [],
                MaxTrustedErrors = parse.GetValue(maxTrustedError) is { } levels ? ParseLevels(levels) : [],
                Confidence = parse.GetValue(confidence),
            };
            CommonOptions.Validated(options.Validate);
            var capacityShare = parse.GetValue(capacity);
            if (capacityShare is { } share && !(share >= 0 && share <= 1))
            {
                throw new CliException(ReportText.Inv($"--capacity {share}: must be a share of items between 0 and 1"));
            }

            OutputFiles.RefuseOverlap([.. inputs.Select(i => ("--input", i)), .. parse.GetValue(notes) is { } n ? [("--notes", n)] : Array.Empty<(string, string)>()], ("--markdown", parse.GetValue(markdown)));
            OutputFiles.CheckReadable(inputs, "--input");
            var notesText = parse.GetValue(notes) is { } notesPath ? ReadNotes(notesPath) : null;
            using var folder = ReportFolder.Open(parse.GetValue(output), "--output");
            var result = Run(inputs, options, "experiment");

            if (capacityShare is { } replayShare)
            {
                Console.Write(CapacityReport.Write(result, options.Cost, replayShare, folder.File("capacity.json")));
            }

            var producedBy = "lpp " + string.Join(' ', Environment.GetCommandLineArgs().Skip(1).Select(a => a.Contains(' ', StringComparison.Ordinal) ? $"'{a}'" : a));
            folder.Guard(() => ExperimentReport.Write(result, folder, notesText, parse.GetValue(markdown), producedBy));
            Console.WriteLine(result.Verdict());
            Console.Error.WriteLine($"experiment: report in {folder.Target}");
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>
    /// The pipeline both <c>lpp experiment</c> and <c>lpp compare</c> run: one dataset per input file (split by
    /// <c>source.model</c> when a file holds several), the experiment with its progress on standard error.
    /// </summary>
    internal static ExperimentResult Run(IReadOnlyList<string> inputs, ExperimentOptions options, string command)
    {
        var datasets = new List<ExperimentDataset>();
        foreach (var path in inputs)
        {
            var records = RecordLoading.Load([path], null, command);
            var name = DatasetName(path);
            var byModel = ExperimentRunner.ByModel(records);
            datasets.AddRange(byModel.Count > 1 ? byModel.Select(d => d with { Name = $"{name}/{d.Name}" }) : [new ExperimentDataset(name, records)]);
        }

        try
        {
            return new ExperimentProgressReporter(TimeProvider.System, command).Run(progress => ExperimentRunner.Run(datasets, options, progress));
        }
        catch (ExperimentException e)
        {
            throw new CliException(e.Message);
        }
    }

    /// <summary>"model/task" from ".../model/task.jsonl".</summary>
    internal static string DatasetName(string path)
    {
        var file = Path.GetFileName(path);
        var stem = file.EndsWith(".jsonl.gz", StringComparison.Ordinal) ? file[..^9] : Path.GetFileNameWithoutExtension(file);
        var folder = Path.GetFileName(Path.GetDirectoryName(Path.GetFullPath(path)));
        return string.IsNullOrEmpty(folder) ? stem : $"{folder}/{stem}";
    }

    private static double[] ParseRatios(string text)
    {
        var parts = text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var values = new double[parts.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            if (!double.TryParse(parts[i], NumberStyles.Float, CultureInfo.InvariantCulture, out values[i]) || !(values[i] > 0) || !double.IsFinite(values[i]))
            {
                throw new CliException($"--cost-ratios {text}: '{parts[i]}' is not a positive number");
            }
        }

        return parts.Length > 0 ? values : throw new CliException("--cost-ratios is empty");
    }

    private static double[] ParseLevels(string text)
    {
        var parts = text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var values = new double[parts.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            if (!double.TryParse(parts[i], NumberStyles.Float, CultureInfo.InvariantCulture, out values[i]) || !(values[i] > 0 && values[i] < 1))
            {
                throw new CliException($"--max-trusted-error {text}: '{parts[i]}' is not an error rate strictly between 0 and 1");
            }
        }

        return parts.Length > 0 ? values : throw new CliException("--max-trusted-error is empty");
    }

    private static string ReadNotes(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"--notes {path}: cannot read ({e.Message})");
        }
    }
}
