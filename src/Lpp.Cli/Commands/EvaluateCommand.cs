using System.CommandLine;
using Lpp.Cli.Reports;

namespace Lpp.Cli.Commands;

/// <summary><c>lpp evaluate</c>: every routing method of a model measured on labelled records, with intervals, groups and plots.</summary>
internal static class EvaluateCommand
{
    public static Command Create()
    {
        var model = CommonOptions.Model();
        var input = CommonOptions.Inputs();
        var output = new Option<string?>("--output") { Description = "Folder for metrics.json, report.md, report.html and the plots (created if needed).", Required = true };
        var bootstrap = ParseErrors.WholeNumber(new Option<int>("--bootstrap") { Description = "Bootstrap resamples for the 95% intervals of cost and AUC.", DefaultValueFactory = _ => 1000 }, 1);
        var seed = new Option<int>("--seed") { Description = "Seed of the bootstrap.", DefaultValueFactory = _ => 42 };
        var costs = CommonOptions.Costs();
        var allowMismatch = CommonOptions.AllowShapeMismatch();
        var command = new Command("evaluate", "Measure the meta-model against always-trust and the single-signal baselines on labelled records, and write a report.")
        {
            model, input, output, bootstrap, seed, allowMismatch, costs,
        };
        command.SetAction(parse =>
        {
            var draws = parse.GetValue(bootstrap);
            if (draws < 1)
            {
                throw new CliException($"--bootstrap {draws}: must be at least 1");
            }

            var inputs = CommonOptions.RequireInputs(parse.GetValue(input));
            OutputFiles.CheckReadable(inputs, "--input");
            var modelPath = parse.GetValue(model);
            var escalation = CommonOptions.LoadModel(modelPath);
            var severity = CommonOptions.LoadCosts(parse.GetValue(costs), escalation.Cost.Form);
            using var folder = ReportFolder.Open(parse.GetValue(output), "--output");
            var records = RecordLoading.Load(inputs, null, "evaluate");
            var names = string.Join(", ", inputs.Select(Path.GetFileName));
            if (records.Count == 0)
            {
                throw new CliException($"--input {names}: the test set holds no records");
            }

            if (!parse.GetValue(allowMismatch))
            {
                records = KeepFitting(escalation, records, modelPath!, names);
            }

            EvaluationSummary summary;
            try
            {
                summary = EvaluationSummary.From(Evaluator.Score(escalation, records, severity), draws, parse.GetValue(seed));
            }
            catch (ArgumentException e)
            {
                throw new CliException($"--input {names}: {e.Message.Split(" (Parameter", 2)[0]}");
            }

            var title = $"Evaluation of the {escalation.Recipe.Name()}-recipe model ({Path.GetFileName(modelPath)}) on {names}";
            folder.Guard(() => EvaluationReport.Write(summary, title, folder));
            Console.Error.WriteLine(ReportText.Inv($"evaluate: {summary.Records} records ({summary.Labelled} labelled, {summary.Errors} errors, {summary.WithoutTruth} without truth); report in {folder.Target}"));
            Console.WriteLine(EvaluationReport.Verdict(summary));
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>
    /// The records the model was trained for (the per-record check lpp route applies): the others are left out and
    /// counted on standard error; when no record with a decision answer fits, the evaluation is refused with the commonest reason.
    /// </summary>
    private static List<DecisionRecord> KeepFitting(EscalationModel model, List<DecisionRecord> records, string modelPath, string inputs)
    {
        var check = ShapeCheckSummary.Run(model, records);
        if (check.Refused == 0)
        {
            return records;
        }

        if (!check.Fitting.Any(r => r.Schema.IsDecisionLabel(r.Output.Outcome)))
        {
            throw new CliException($"--model {modelPath} does not match the records of --input {inputs}: it was not trained for any of them ({check.FirstReason()}; --allow-shape-mismatch scores them anyway)");
        }

        Console.Error.WriteLine($"evaluate: {check.Refused} of {check.Records} records left out, the model was not trained for them ({check.FirstReason()}; --allow-shape-mismatch keeps them)");
        return check.Fitting;
    }
}
