using System.Text;
using System.Text.Json;

namespace Lpp.Cli.Reports;

/// <summary><c>lpp experiment --capacity</c>: the capacity replay of each dataset's first test set, as a table and as capacity.json.</summary>
internal static class CapacityReport
{
    /// <summary>
    /// Replays every dataset, writes <c>{"share", "window", "datasets": {"&lt;name&gt;": {"&lt;policy&gt;": {"cost",
    /// "escalated", "items"}}}}</c> to <paramref name="path"/> and returns the table.
    /// </summary>
    public static string Write(ExperimentResult result, CostModel cost, double share, string path)
    {
        var sb = new StringBuilder();
        sb.AppendLine(ReportText.Inv($"Capacity replay: review for {share:0.##%} of items in any {CapacityReplay.Window} consecutive arrivals, first split's test set in arrival order (cost, lower is better; escalated)"));
        sb.AppendLine(ReportText.Inv($"{"dataset",-40} {"unconstrained",22} {"by saving",22} {"first come",22}"));
        using var stream = File.Create(path);
        using var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        w.WriteStartObject();
        w.WriteNumber("share", share);
        w.WriteNumber("window", CapacityReplay.Window);
        w.WriteStartObject("datasets");
        foreach (var dataset in result.Datasets)
        {
            if (dataset.FirstEvaluation is not { } evaluation)
            {
                // No meta-model could be trained on the first split: nothing to replay.
                sb.AppendLine(ReportText.Inv($"{dataset.Name,-40} skipped: no model on the first split"));
                continue;
            }

            var policies = CapacityReplay.Run(evaluation.Set.Rows, cost, share);
            w.WriteStartObject(dataset.Name);
            foreach (var p in policies)
            {
                w.WriteStartObject(p.Policy);
                w.WriteNumber("cost", p.Cost);
                w.WriteNumber("escalated", p.Escalated);
                w.WriteNumber("items", p.Items);
                w.WriteEndObject();
            }

            w.WriteEndObject();
            sb.AppendLine(ReportText.Inv($"{dataset.Name,-40} {string.Join(" ", policies.Select(p => ReportText.Inv($"{p.Cost,12:F2} ({p.Escalated,6})").PadLeft(22)))}"));
        }

        w.WriteEndObject();
        w.WriteEndObject();
        return sb.ToString();
    }
}
