using System.CommandLine;

namespace Lpp.Cli.Commands;

/// <summary><c>lpp train</c>: learn the escalation model from labelled decision records.</summary>
internal static class TrainCommand
{
    public static Command Create()
    {
        var input = CommonOptions.Inputs();
        var output = new Option<string>("--output") { Description = "Where to write the model file (JSON)." };
        var defaults = new EscalationTrainerOptions();
        var recipe = CommonOptions.Recipe("default (ours) or paper (the paper's protocol).");
        var cost = CostOptions.Create();
        var seed = new Option<int>("--seed") { Description = "Seed of every split, fold and shuffle.", DefaultValueFactory = _ => defaults.Seed };
        var folds = new Option<int>("--folds") { Description = "Cross-validation folds.", DefaultValueFactory = _ => defaults.Folds };
        var exclude = new Option<string?>("--exclude-family") { Description = "Feature families to leave out, e.g. A,B (ablation)." };
        var topK = CommonOptions.TopK();
        var rejects = CommonOptions.Rejects();
        var costs = CommonOptions.Costs();
        var command = new Command("train", "Train the escalation model (calibrated ridge over LPP features) and choose its cost-optimal threshold.")
        {
            input, output, recipe, cost.Error, cost.Review, cost.Model, seed, folds, exclude, topK, rejects, costs,
        };
        command.SetAction(parse =>
        {
            var inputs = CommonOptions.RequireInputs(parse.GetValue(input));
            var outputPath = parse.GetValue(output) ?? throw new CliException("--output is required");
            var single = cost.Read(parse);
            var severity = CommonOptions.LoadCosts(parse.GetValue(costs), single.Form);
            if (severity is not null && (parse.GetResult(cost.Error) is { Implicit: false } || parse.GetResult(cost.Review) is { Implicit: false }))
            {
                throw new CliException("--costs gives the default costs: leave out --cost-error and --cost-review");
            }

            var options = new EscalationTrainerOptions
            {
                Recipe = RecipeNames.Parse(parse.GetValue(recipe)),
                Cost = severity?.Default ?? single,
                Seed = parse.GetValue(seed),
                Folds = parse.GetValue(folds),
                ExcludedFamilies = ParseFamilies(parse.GetValue(exclude)),
                Features = new LppFeatureOptions { TopK = parse.GetValue(topK) },
            };
            var trainer = CommonOptions.Validated(() => new EscalationTrainer(options));
            OutputFiles.RefuseOverlap("--input", inputs, ("--output", outputPath), ("--rejects", parse.GetValue(rejects)));
            OutputFiles.CheckReadable(inputs, "--input");
            var records = RecordLoading.Load(inputs, parse.GetValue(rejects), "train");
            var data = TrainingSet.From(records, new LppFeatureExtractor(options.Features));
            EscalationModel model;
            try
            {
                model = trainer.Fit(data, [.. inputs.Select(InputFileInfo.Of)]).WithSeverityCosts(severity);
                model = model.WithTrainingShape(TrainingShape.Of(records, model.FeatureNames));
            }
            catch (TrainingException e)
            {
                throw new CliException($"cannot train: {e.Message}");
            }

            using (var stream = OutputFiles.Create(outputPath, "--output"))
            {
                EscalationModelFile.Write(model, stream, TimeProvider.System.GetUtcNow());
            }

            Console.Write(ModelReport.Summary(model));
            Console.WriteLine($"model written to {outputPath}");
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>Parses "A,B" into families; only A-G can be excluded.</summary>
    internal static HashSet<FeatureFamily> ParseFamilies(string? text)
    {
        var families = new HashSet<FeatureFamily>();
        foreach (var part in (text ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (part.Length != 1 || part[0] is < 'A' or > 'G')
            {
                throw new CliException($"--exclude-family '{part}' is not one of A, B, C, D, E, F, G");
            }

            families.Add((FeatureFamily)(part[0] - 'A'));
        }

        return families;
    }
}
