using System.Buffers;
using System.CommandLine;
using System.Text.Json;

namespace Lpp.Cli.Commands;

/// <summary><c>lpp route</c>: trust or escalate each decision record, streaming.</summary>
internal static class RouteCommand
{
    public static Command Create()
    {
        var model = CommonOptions.Model();
        var input = CommonOptions.Inputs();
        var output = new Option<string>("--output") { Description = "Where to write the decisions (JSON Lines)." };
        var rejects = CommonOptions.Rejects();
        var strict = CommonOptions.Strict();
        var command = new Command("route", "Decide per record: trust the LLM's answer or escalate it to the right review queue.")
        {
            model, input, output, rejects, strict,
        };
        command.SetAction(parse =>
        {
            var router = new Router(CommonOptions.LoadModel(parse.GetValue(model)));
            var inputs = CommonOptions.RequireInputs(parse.GetValue(input));
            var outputPath = parse.GetValue(output) ?? throw new CliException("--output is required");
            OutputFiles.CheckReadable(inputs, "--input");
            var summary = new RunSummary("route");
            var counts = new SortedDictionary<string, long>(StringComparer.Ordinal);
            var rejectsPath = parse.GetValue(rejects);
            using var rejected = RejectsWriter.Open(rejectsPath);
            using (var stream = OutputFiles.Create(outputPath, "--output"))
            {
                // Decisions are written into one buffer and flushed to the file in large blocks.
                var buffer = new ArrayBufferWriter<byte>(1 << 17);
                using var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { SkipValidation = true });
                foreach (var result in InputReading.Read(inputs))
                {
                    summary.Read++;
                    if (result.Record is { } record)
                    {
                        var decision = router.Route(record);
                        RoutingDecisionJson.Write(writer, decision);
                        writer.Flush();
                        writer.Reset();
                        buffer.Write("\n"u8);
                        if (buffer.WrittenCount > 1 << 16)
                        {
                            stream.Write(buffer.WrittenSpan);
                            buffer.ResetWrittenCount();
                        }

                        summary.Written++;
                        counts[decision.Queue] = counts.GetValueOrDefault(decision.Queue) + 1;
                    }
                    else
                    {
                        rejected.Write(result.Rejection!);
                        summary.Rejected++;
                    }
                }

                stream.Write(buffer.WrittenSpan);
            }

            summary.Print(outputPath, rejectsPath);
            if (summary.Written > 0)
            {
                var escalated = summary.Written - counts.GetValueOrDefault(Queues.Auto);
                Console.Error.WriteLine($"route: trusted {counts.GetValueOrDefault(Queues.Auto)}, escalated {escalated} ({100.0 * escalated / summary.Written:0.0}%): " +
                    string.Join(", ", Queues.Escalation.Select(q => $"{q} {counts.GetValueOrDefault(q)}")));
            }

            return summary.ExitCode(parse.GetValue(strict));
        });
        return command;
    }
}
