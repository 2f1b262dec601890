using System.CommandLine;

namespace Lpp.Cli.Commands;

/// <summary><c>lpp features</c>: one row of LPP features per decision record, as CSV or Parquet.</summary>
internal static class FeaturesCommand
{
    public static Command Create()
    {
        var input = CommonOptions.Inputs();
        var output = new Option<string>("--output") { Description = "Where to write the table: OUT.csv or OUT.parquet." };
        var topK = CommonOptions.TopK();
        var rejects = CommonOptions.Rejects();
        var strict = CommonOptions.Strict();
        var list = new Option<bool>("--list") { Description = "Print every feature with its family and meaning, then exit." };
        var command = new Command("features", "Compute the LPP features of decision records.") { input, output, topK, rejects, strict, list };
        command.SetAction(async (parse, cancel) =>
        {
            if (parse.GetValue(list))
            {
                PrintList();
                return ExitCodes.Ok;
            }

            var inputs = parse.GetValue(input) ?? [];
            var outputPath = parse.GetValue(output) ?? throw new CliException("--output is required");
            if (inputs.Length == 0)
            {
                throw new CliException("--input is required");
            }

            LppFeatureExtractor extractor;
            try
            {
                extractor = new LppFeatureExtractor(new LppFeatureOptions { TopK = parse.GetValue(topK) });
            }
            catch (ArgumentOutOfRangeException e)
            {
                throw new CliException($"--top-k {parse.GetValue(topK)}: {e.Message.Split(" (Parameter", 2)[0]}");
            }

            return await RunAsync(inputs, outputPath, extractor, parse.GetValue(rejects), parse.GetValue(strict), cancel).ConfigureAwait(false);
        });
        return command;
    }

    private static async Task<int> RunAsync(string[] inputs, string outputPath, LppFeatureExtractor extractor, string? rejectsPath, bool strict, CancellationToken cancel)
    {
        OutputFiles.RefuseOverlap("--input", inputs, ("--output", outputPath), ("--rejects", rejectsPath));
        OutputFiles.CheckReadable(inputs, "--input");
        var sourceKeys = InputReading.SourceKeys(inputs);
        var summary = new RunSummary("features");
        var features = new double[FeatureSchema.Count];
        using var rejects = RejectsWriter.Open(rejectsPath);
        await using (var table = FeatureTableWriter.Create(outputPath, sourceKeys))
        {
            foreach (var result in InputReading.Read(inputs))
            {
                cancel.ThrowIfCancellationRequested();
                summary.Read++;
                if (result.Record is { NoAnswer: not null })
                {
                    summary.NoAnswer++;
                }
                else if (result.Record is { } record)
                {
                    extractor.Extract(record, features);
                    await table.WriteAsync(record, features).ConfigureAwait(false);
                    summary.Written++;
                }
                else
                {
                    rejects.Write(result.Rejection!);
                    summary.Rejected++;
                }
            }
        }

        summary.Print(outputPath, rejectsPath);
        return summary.ExitCode(strict);
    }

    private static void PrintList()
    {
        var width = FeatureSchema.Names.Max(n => n.Length);
        foreach (var feature in FeatureSchema.All)
        {
            var family = feature.Family == FeatureFamily.Availability ? "-" : feature.Family.ToString();
            Console.WriteLine($"{feature.Name.PadRight(width)}  {family}  {feature.Description}");
        }
    }
}
