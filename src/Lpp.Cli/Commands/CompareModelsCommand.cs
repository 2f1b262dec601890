using System.CommandLine;
using System.Text;
using Lpp.Cli.Reports;

namespace Lpp.Cli.Commands;

/// <summary><c>lpp compare-models</c>: two models on the same labelled records, with a paired bootstrap interval of the difference.</summary>
internal static class CompareModelsCommand
{
    public static Command Create()
    {
        var models = new Option<string[]>("--model")
        {
            Description = "The model in service (A), then the candidate (B): exactly two model files.",
            AllowMultipleArgumentsPerToken = false,
        };
        var input = CommonOptions.Inputs();
        var bootstrap = new Option<int>("--bootstrap") { Description = "Bootstrap resamples for the 95% intervals of the differences.", DefaultValueFactory = _ => 1000 };
        var seed = new Option<int>("--seed") { Description = "Seed of the bootstrap.", DefaultValueFactory = _ => 42 };
        var costs = CommonOptions.Costs();
        var command = new Command("compare-models", "Compare two models' cost and AUC on the same labelled records (B - A, paired bootstrap) and recommend one.")
        {
            models, input, bootstrap, seed, costs,
        };
        command.SetAction(parse =>
        {
            var paths = parse.GetValue(models) ?? [];
            if (paths.Length != 2)
            {
                throw new CliException($"--model must be given exactly twice (A, the model in service, then B), got {paths.Length}");
            }

            var draws = parse.GetValue(bootstrap);
            if (draws < 1)
            {
                throw new CliException($"--bootstrap {draws}: must be at least 1");
            }

            var a = CommonOptions.LoadModel(paths[0]);
            var b = CommonOptions.LoadModel(paths[1]);
            var severity = CommonOptions.LoadCosts(parse.GetValue(costs), a.Cost.Form);
            var inputs = CommonOptions.RequireInputs(parse.GetValue(input));
            OutputFiles.CheckReadable(inputs, "--input");
            var records = RecordLoading.Load(inputs, null, "compare-models");
            ModelComparisonResult result;
            try
            {
                result = ModelComparison.Compare(a, b, records, draws, parse.GetValue(seed), severity);
            }
            catch (ArgumentException e)
            {
                throw new CliException($"--input {string.Join(", ", inputs.Select(Path.GetFileName))}: {e.Message.Split(" (Parameter", 2)[0]}");
            }

            Console.Write(Table(result, paths[0], paths[1], severity is not null || a.SeverityCosts is not null));
            return ExitCodes.Ok;
        });
        return command;
    }

    internal static string Table(ModelComparisonResult r, string a, string b, bool severity)
    {
        var sb = new StringBuilder();
        sb.AppendLine(ReportText.Inv($"{r.Records} labelled records, {r.Errors} LLM errors; costs in {(severity ? "each record's own costs by severity" : "A's cost model")} (lower is better)"));
        sb.AppendLine(ReportText.Inv($"{"model",-3} {"cost",10} {"AUC",7}  file"));
        sb.AppendLine(ReportText.Inv($"{"A",-3} {r.CostA,10:F2} {r.AucA,7:F4}  {a}"));
        sb.AppendLine(ReportText.Inv($"{"B",-3} {r.CostB,10:F2} {r.AucB,7:F4}  {b}"));
        sb.AppendLine(ReportText.Inv($"B - A: cost {r.CostB - r.CostA:+0.00;-0.00;0.00} (95% paired bootstrap [{r.CostDifference.Low:+0.00;-0.00;0.00}, {r.CostDifference.High:+0.00;-0.00;0.00}], B cheaper in {r.ProbabilityBCheaper:0%} of resamples), ") +
            ReportText.Inv($"AUC {r.AucB - r.AucA:+0.0000;-0.0000;0.0000} ([{r.AucDifference.Low:+0.0000;-0.0000;0.0000}, {r.AucDifference.High:+0.0000;-0.0000;0.0000}]); the two decide alike on {r.Agreement:0.0%} of records"));
        sb.AppendLine(r.Recommendation);
        return sb.ToString();
    }
}
