using System.CommandLine;
using Lpp.Serving;

namespace Lpp.Cli.Commands;

/// <summary><c>lpp feedback export</c>: reviewed items from the audit database, as labeled decision records for <c>lpp train</c>.</summary>
internal static class FeedbackCommand
{
    public static Command Create()
    {
        var store = new StoreOptions();
        var output = new Option<string>("--output") { Description = "Where to write the labeled records (JSON Lines)." };
        var export = new Command("export", "Write every reviewed item as its original decision record with truth = the reviewer's verdict.")
        {
            output,
        };
        foreach (var option in store.All)
        {
            export.Options.Add(option);
        }

        export.SetAction(async (parse, cancel) =>
        {
            var outputPath = parse.GetValue(output) ?? throw new CliException("--output is required");
            var (kind, database, connection) = store.Read(parse);
            var result = await FeedbackExport.WriteAsync(kind, database, connection, () => OutputFiles.Create(outputPath, "--output")).ConfigureAwait(false);

            var superseded = result.Superseded;
            Console.Error.WriteLine($"feedback export: {result.Reviews} reviews, {result.Records} labeled records{(superseded > 0 ? $" ({superseded} earlier reviews of the same id superseded)" : string.Empty)}{(result.Unsampled > 0 ? $"; {result.Unsampled} reviews of trusted decisions not sampled for audit left out (their chance of review is unknown, so no weight is right)" : string.Empty)} -> {outputPath}");
            return ExitCodes.Ok;
        });
        return new Command("feedback", "Turn reviewers' verdicts from the audit database into training data.") { export };
    }
}
