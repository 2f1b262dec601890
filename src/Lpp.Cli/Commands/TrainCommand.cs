using System.CommandLine;

namespace Lpp.Cli.Commands;

/// <summary><c>lpp train</c>: learn the escalation model from labelled decision records.</summary>
internal static class TrainCommand
{
    public static Command Create()
    {
        var input = CommonOptions.Inputs();
        var output = new Option<string>("--output") { Description = "Where to write the model file (JSON).", Required = true };
        var defaults = new EscalationTrainerOptions();
        var recipe = CommonOptions.Recipe("default (ours) or paper (the paper's protocol).");
        var cost = CostOptions.Create();
        var seed = new Option<int>("--seed") { Description = "Seed of every split, fold and shuffle.", DefaultValueFactory = _ => defaults.Seed };
        var folds = ParseErrors.WholeNumber(new Option<int>("--folds") { Description = "Cross-validation folds.", DefaultValueFactory = _ => defaults.Folds }, 2);
        var exclude = new Option<string?>("--exclude-family") { Description = "Feature families to leave out, e.g. A,B (ablation)." };
        var topK = CommonOptions.TopK();
        var rejects = CommonOptions.Rejects();
        var costs = CommonOptions.Costs();
        var maxTrustedError = new Option<double?>("--max-trusted-error") { Description = "Guarantee: the largest error rate among trusted items (0-1 exclusive), held with --confidence on a held-out calibration part." };
        var confidence = new Option<double>("--confidence") { Description = "Confidence of the guarantee's upper bound (0.5-1 exclusive).", DefaultValueFactory = _ => defaults.Confidence };
        var calibrationFraction = new Option<double>("--calibration-fraction") { Description = "Share of labelled records held out (stratified) to calibrate the guarantee.", DefaultValueFactory = _ => defaults.CalibrationFraction };
        var allowInfeasible = new Option<bool>("--allow-infeasible") { Description = "When no threshold meets the guarantee, keep the cost-optimal policy instead of escalating everything." };
        var command = new Command("train", "Train the escalation model (calibrated ridge or logistic regression over LPP features, or the simple policy it is not reliably cheaper than) and choose its threshold.")
        {
            input, output, recipe, cost.Error, cost.Review, cost.Model, seed, folds, exclude, topK, rejects, maxTrustedError, confidence, calibrationFraction, allowInfeasible, costs,
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
                MaxTrustedError = parse.GetValue(maxTrustedError),
                Confidence = parse.GetValue(confidence),
                CalibrationFraction = parse.GetValue(calibrationFraction),
                AllowInfeasible = parse.GetValue(allowInfeasible),
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
            if (model.Guarantee is { Feasible: false } g)
            {
                Console.Error.WriteLine(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                    $"no threshold keeps the error rate among trusted items at or below {g.MaxTrustedError:G} with {g.Confidence:0.##%} confidence on {g.CalibrationRecords} calibration records: {(options.AllowInfeasible ? "deploying the cost-optimal policy anyway (--allow-infeasible), without the guarantee" : "deploying escalate-everything (--allow-infeasible keeps the cost-optimal policy)")}"));
            }

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
