using System.CommandLine;
using System.Text.Json;

namespace Lpp.Cli.Commands;

/// <summary><c>lpp feedback export</c>: reviewed items from the audit database, as labeled decision records for <c>lpp train</c>.</summary>
internal static class FeedbackCommand
{
    public static Command Create()
    {
        var db = new Option<string>("--db") { Description = "The audit database written by lpp serve.", DefaultValueFactory = _ => ServeDefaults.Database };
        var output = new Option<string>("--output") { Description = "Where to write the labeled records (JSON Lines)." };
        var export = new Command("export", "Write every reviewed item as its original decision record with truth = the reviewer's verdict.")
        {
            db, output,
        };
        export.SetAction(async (parse, cancel) =>
        {
            var outputPath = parse.GetValue(output) ?? throw new CliException("--output is required");
            await using var store = SqliteAuditStore.OpenReadOnly(parse.GetValue(db)!);

            // The same record routed and reviewed more than once: the latest review wins (lpp train refuses duplicate ids).
            var latest = new Dictionary<string, DecisionRecord>(StringComparer.Ordinal);
            var order = new List<string>();
            var parser = new DecisionRecordParser();
            long reviews = 0;
            foreach (var entry in store.Reviewed())
            {
                reviews++;
                var record = parser.Parse(entry.RecordJson) with { Truth = entry.Verdict };
                if (!latest.ContainsKey(record.Id))
                {
                    order.Add(record.Id);
                }

                latest[record.Id] = record;
            }

            using (var stream = OutputFiles.Create(outputPath, "--output"))
            using (var writer = new Utf8JsonWriter(stream, DecisionRecordJson.WriterOptions))
            {
                foreach (var id in order)
                {
                    DecisionRecordJson.Write(writer, latest[id]);
                    writer.Flush();
                    stream.WriteByte((byte)'\n');
                    writer.Reset();
                }
            }

            var superseded = reviews - order.Count;
            Console.Error.WriteLine($"feedback export: {reviews} reviews, {order.Count} labeled records{(superseded > 0 ? $" ({superseded} earlier reviews of the same id superseded)" : string.Empty)} -> {outputPath}");
            return ExitCodes.Ok;
        });
        return new Command("feedback", "Turn reviewers' verdicts from the audit database into training data.") { export };
    }
}
