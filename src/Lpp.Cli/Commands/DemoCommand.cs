using System.CommandLine;
using System.Globalization;
using System.Text;
using Lpp.Cli.Reports;
using Lpp.Simulation;

namespace Lpp.Cli.Commands;

/// <summary>
/// <c>lpp demo</c>: the README's main command. Simulates a moderation workload (<see cref="ModerationSimulator"/>),
/// runs the experiment on it, prints the verdict and a compact table, and writes the report to ./lpp-demo/.
/// Everything is seeded and local: no network, no model download.
/// </summary>
internal static class DemoCommand
{
    private const string SimulatedNote =
        "**Simulated data.** These items come from `lpp simulate`, a documented generative model of an LLM moderation " +
        "classifier (docs/simulation.md), not from a real model: the numbers show what the pipeline does, not how a real " +
        "LLM behaves. Run `lpp experiment` on your own decision records for that.";

    public static Command Create()
    {
        var output = new Option<string>("--output") { Description = "Folder for the report.", DefaultValueFactory = _ => "lpp-demo" };
        var n = new Option<int>("--n") { Description = "Simulated items.", DefaultValueFactory = _ => 20_000 };
        var seed = new Option<int>("--seed") { Description = "Seed of the simulation and the experiment.", DefaultValueFactory = _ => 42 };
        var command = new Command("demo", "Simulate a moderation workload, run the whole experiment on it and write a report to ./lpp-demo/.") { output, n, seed };
        command.SetAction(parse =>
        {
            var count = parse.GetValue(n);
            if (count < 1_000)
            {
                throw new CliException($"--n {count}: the demo needs at least 1000 items");
            }

            var simulation = new SimulationOptions { Seed = parse.GetValue(seed) };
            CommonOptions.Validated(simulation.Validate);
            using var folder = ReportFolder.Open(parse.GetValue(output), "--output");
            Console.Error.WriteLine($"demo: simulating {count:N0} moderation decisions of a simulated LLM (seed {simulation.Seed}) ...");
            var records = new ModerationSimulator(simulation).Generate(count).Select(item => item.Record).ToList();
            var options = new ExperimentOptions { Seed = simulation.Seed, Bootstrap = 500 };
            var dataset = new ExperimentDataset("simulated moderation", records);
            ExperimentResult result;
            try
            {
                result = new ExperimentProgressReporter(TimeProvider.System).Run(progress => ExperimentRunner.Run([dataset], options, progress));
            }
            catch (ExperimentException e)
            {
                throw new CliException(e.Message);
            }

            folder.Guard(() => ExperimentReport.Write(result, folder, SimulatedNote, producedBy: "lpp demo"));
            Console.WriteLine(result.Verdict());
            Console.WriteLine();
            Console.Write(Table(result.Datasets[0]));
            Console.WriteLine();
            Console.WriteLine($"Report: {Path.Combine(folder.Target, "report.html")} (and report.md beside it). Simulated data throughout.");
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>Cost, AUC and escalations of every method on the test split, best first.</summary>
    internal static string Table(ExperimentDatasetResult dataset)
    {
        var sb = new StringBuilder();
        var inv = CultureInfo.InvariantCulture;
        sb.AppendLine(inv, $"{"method",-14} {"cost",9} {"AUC",7} {"escalated",10}   (test split: {dataset.Splits[0].TestRecords:N0} items, {dataset.TestErrors.Mean:N0} LLM errors)");
        foreach (var method in dataset.Methods.OrderBy(m => dataset.Cost(m).Mean))
        {
            var auc = dataset.Auc(method).Mean;
            sb.AppendLine(inv, $"{method.Name,-14} {dataset.Cost(method).Mean,9:F1} {(double.IsNaN(auc) ? "-" : auc.ToString("F3", inv)),7} {dataset.EscalationRatio(method).Mean * 100,9:F1}%");
        }

        return sb.ToString();
    }
}
