using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using Lpp.Simulation;

namespace Lpp.Cli.Commands;

/// <summary><c>lpp simulate</c>: a simulated moderation workload, as decision records or as raw provider bodies.</summary>
internal static class SimulateCommand
{
    private static readonly string[] Formats = ["records", "openai", "gemini"];

    public static Command Create()
    {
        var n = new Option<long>("--n")
        {
            Description = "How many items to simulate (at least 1).",
            Required = true,
            CustomParser = result =>
            {
                var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : string.Empty;
                if (long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= 1)
                {
                    return value;
                }

                result.AddError($"--n {text}: must be a whole number of at least 1");
                return 0;
            },
        };
        var output = new Option<string>("--output") { Description = "Where to write them: FILE.jsonl, or FILE.jsonl.gz for gzip.", Required = true };
        var format = new Option<string>("--format")
        {
            Description = "records (decision records), openai (chat-completion bodies) or gemini (generateContent bodies).",
            DefaultValueFactory = _ => "records",
        };
        var seed = new Option<int>("--seed")
        {
            Description = "Seed of the generator: the same seed writes the same file.",
            DefaultValueFactory = _ => new SimulationOptions().Seed,
        };
        var cot = new Option<bool>("--cot") { Description = "Answers carry three chain-of-thought steps (reasoning tokens)." };
        var command = new Command("simulate", "Write a simulated LLM moderation workload (labelled simulated) for demos, scale tests and benchmarks.")
        {
            n, output, format, seed, cot,
        };
        command.SetAction((parse, cancel) =>
        {
            var count = parse.GetValue(n);
            var outputPath = parse.GetValue(output) ?? throw new CliException("--output is required");
            var formatName = parse.GetValue(format)!;
            var simulationFormat = Array.IndexOf(Formats, formatName) switch
            {
                0 => SimulationFormat.Records,
                1 => SimulationFormat.OpenAi,
                2 => SimulationFormat.Gemini,
                _ => throw new CliException($"--format {formatName}: must be records, openai or gemini"),
            };
            var options = new SimulationOptions { Seed = parse.GetValue(seed), ChainOfThought = parse.GetValue(cot) };
            return Task.FromResult(Run(count, outputPath, simulationFormat, formatName, options, cancel));
        });
        return command;
    }

    private static int Run(long count, string outputPath, SimulationFormat format, string formatName, SimulationOptions options, CancellationToken cancel)
    {
        var simulator = new ModerationSimulator(options);
        var clock = Stopwatch.StartNew();
        long written;
        using (var file = OutputFiles.Create(outputPath, "--output"))
        {
            if (outputPath.EndsWith(".gz", StringComparison.OrdinalIgnoreCase))
            {
                using var gzip = new GZipStream(file, CompressionLevel.Fastest);
                written = SimulationWriter.WriteLines(simulator.Generate(count), gzip, format, cancel);
            }
            else
            {
                written = SimulationWriter.WriteLines(simulator.Generate(count), file, format, cancel);
            }
        }

        var seconds = clock.Elapsed.TotalSeconds;
        Console.Error.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"simulate: wrote {written} simulated items ({formatName}, model {options.Model}, seed {options.Seed}{(options.ChainOfThought ? ", cot" : string.Empty)}) to {outputPath} in {seconds:0.0} s ({written / Math.Max(seconds, 1e-9) * 60:N0} items/min)"));
        return ExitCodes.Ok;
    }
}
