using System.CommandLine;
using Lpp.Serving;

namespace Lpp.Cli.Commands;

/// <summary><c>lpp audit export</c>: every decision of the audit store, with its review, as JSON Lines.</summary>
internal static class AuditCommand
{
    public static Command Create()
    {
        var store = new StoreOptions();
        var output = new Option<string>("--output") { Description = "Where to write the decisions (JSON Lines)." };
        var since = new Option<string?>("--since") { Description = "Only decisions created at or after this time (ISO 8601, e.g. 2026-11-30T00:00:00Z)." };
        var until = new Option<string?>("--until") { Description = "Only decisions created before this time (ISO 8601)." };
        var export = new Command("export", "Write every decision in creation order, as GET /v1/decisions/{id} shows it, plus the record as received.")
        {
            output, since, until,
        };
        foreach (var option in store.All)
        {
            export.Options.Add(option);
        }

        export.SetAction(async (parse, cancel) =>
        {
            var outputPath = parse.GetValue(output) ?? throw new CliException("--output is required");
            var from = CommonOptions.Time(parse.GetValue(since), "--since");
            var to = CommonOptions.Time(parse.GetValue(until), "--until");
            var (kind, database, connection) = store.Read(parse);
            var written = await AuditExport.WriteAsync(kind, database, connection, from, to, () => OutputFiles.Create(outputPath, "--output")).ConfigureAwait(false);
            Console.Error.WriteLine($"audit export: {written} decisions -> {outputPath}");
            return ExitCodes.Ok;
        });
        return new Command("audit", "Read the audit log: every decision the service answered, with its review.") { export };
    }
}
