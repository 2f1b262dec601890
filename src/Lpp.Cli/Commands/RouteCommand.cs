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
        var costs = CommonOptions.Costs();
        var command = new Command("route", "Decide per record: trust the LLM's answer or escalate it to the right review queue.")
        {
            model, input, output, rejects, strict, costs,
        };
        command.SetAction(parse =>
        {
            var escalation = CommonOptions.LoadModel(parse.GetValue(model));
            var router = new Router(escalation, CommonOptions.LoadCosts(parse.GetValue(costs), escalation.Cost.Form));
            var inputs = CommonOptions.RequireInputs(parse.GetValue(input));
            var outputPath = parse.GetValue(output) ?? throw new CliException("--output is required");
            OutputFiles.CheckReadable(inputs, "--input");
            var summary = new RunSummary("route");
            var reasons = new long[Enum.GetValues<RoutingReason>().Length];
            var rejectsPath = parse.GetValue(rejects);
            using var rejected = RejectsWriter.Open(rejectsPath);
            using (var stream = OutputFiles.Create(outputPath, "--output"))
            {
                // Decisions are written into one buffer and flushed to the file in large blocks.
                var buffer = new ArrayBufferWriter<byte>(1 << 17);
                using var writer = new Utf8JsonWriter(buffer, RoutingDecisionJson.WriterOptions);
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
                        reasons[(int)decision.Reason]++;
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
                var trusted = reasons[(int)RoutingReason.Confident];
                var escalated = summary.Written - trusted;
                var review = reasons[(int)RoutingReason.LowConfidence] + reasons[(int)RoutingReason.InvalidOutput];
                Console.Error.WriteLine($"route: trusted {trusted}, escalated {escalated} ({100.0 * escalated / summary.Written:0.0}%): " +
                    $"{Queues.Review} {review}, {Queues.SeniorReview} {reasons[(int)RoutingReason.AbstainEvidence]}, {Queues.PolicyReview} {reasons[(int)RoutingReason.AbstainDefinition]}");
            }

            return summary.ExitCode(parse.GetValue(strict));
        });
        return command;
    }
}
