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
        var output = new Option<string>("--output") { Description = "Where to write the decisions (JSON Lines).", Required = true };
        var rejects = CommonOptions.Rejects();
        var strict = CommonOptions.Strict();
        var costs = CommonOptions.Costs();
        var allowMismatch = CommonOptions.AllowShapeMismatch();
        var command = new Command("route", "Decide per record: trust the LLM's answer or escalate it to the right review queue.")
        {
            model, input, output, rejects, strict, allowMismatch, costs,
        };
        command.SetAction(parse =>
        {
            var escalation = CommonOptions.LoadModel(parse.GetValue(model));
            var router = new Router(escalation, CommonOptions.LoadCosts(parse.GetValue(costs), escalation.Cost.Form));
            var shape = parse.GetValue(allowMismatch) ? null : escalation.ExpectedShape;
            var otherModels = new SortedDictionary<string, long>(StringComparer.Ordinal);
            var inputs = CommonOptions.RequireInputs(parse.GetValue(input));
            var outputPath = parse.GetValue(output) ?? throw new CliException("--output is required");
            var rejectsPath = parse.GetValue(rejects);
            OutputFiles.RefuseOverlap([.. inputs.Select(i => ("--input", i)), ("--model", parse.GetValue(model)!)], ("--output", outputPath), ("--rejects", rejectsPath));
            OutputFiles.CheckReadable(inputs, "--input");
            var summary = new RunSummary("route");
            var reasons = new long[Enum.GetValues<RoutingReason>().Length];
            using var rejected = RejectsWriter.Open(rejectsPath);
            using (var stream = OutputFiles.Create(outputPath, "--output"))
            {
                // Decisions are written into one buffer and flushed to the file in large blocks.
                var buffer = new ArrayBufferWriter<byte>(1 << 17);
                using var writer = new Utf8JsonWriter(buffer, RoutingDecisionJson.WriterOptions);
                InputReading.CheckFormats(inputs);
                foreach (var (path, result) in inputs.SelectMany(path => InputReading.Read([path]).Select(result => (path, result))))
                {
                    summary.Read++;
                    if (result.Record is { } candidate && shape?.Check(candidate) is { } mismatch)
                    {
                        rejected.Write(new RecordRejection(path, result.Line, $"{mismatch.Reason} (--allow-shape-mismatch scores it anyway)", Cut(DecisionRecordJson.ToJson(candidate))));
                        summary.Rejected++;
                    }
                    else if (result.Record is { } record)
                    {
                        if (escalation.ExpectedShape.UnseenModel(record) is { } other)
                        {
                            otherModels[other] = otherModels.GetValueOrDefault(other) + 1;
                        }

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
            if (escalation.ContributionGroups is null && escalation.Policy.IsLearned)
            {
                Console.Error.WriteLine("route: note: contributions are per feature: the model file has no contribution_groups (written before lpp stored them; retrain to report collinear features as one group)");
            }

            foreach (var (other, count) in otherModels)
            {
                Console.Error.WriteLine($"route: warning: {count} record(s) with source.model {other}, which the training data did not have ({string.Join(", ", escalation.ExpectedShape.Sources["model"])})");
            }

            if (summary.Written > 0)
            {
                var trusted = reasons[(int)RoutingReason.Confident];
                var escalated = summary.Written - trusted;
                var review = reasons[(int)RoutingReason.LowConfidence] + reasons[(int)RoutingReason.InvalidOutput] + reasons[(int)RoutingReason.NoAnswer];
                Console.Error.WriteLine($"route: trusted {trusted}, escalated {escalated} ({100.0 * escalated / summary.Written:0.0}%): " +
                    $"{Queues.Review} {review}, {Queues.SeniorReview} {reasons[(int)RoutingReason.AbstainEvidence]}, {Queues.PolicyReview} {reasons[(int)RoutingReason.AbstainDefinition]}");
            }

            return summary.ExitCode(parse.GetValue(strict));
        });
        return command;
    }

    private static string Cut(string text) => text.Length > RecordRejection.MaxTextLength ? text[..RecordRejection.MaxTextLength] : text;
}
