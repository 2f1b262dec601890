using System.CommandLine;
using System.Globalization;
using Lpp.Cli.Reports;
using Lpp.Serving;

namespace Lpp.Cli.Commands;

/// <summary><c>lpp monitor</c>: volume, queues, the audit sample's error estimate, overturns and drift per model from the audit store.</summary>
internal static class MonitorCommand
{
    public static Command Create()
    {
        var store = new StoreOptions();
        var output = new Option<string>("--output") { Description = "Report folder: monitor.json, report.md, report.html and plots.", Required = true };
        var since = new Option<string?>("--since") { Description = "Only decisions created at or after this time (ISO 8601, e.g. 2026-11-30T00:00:00Z)." };
        var until = new Option<string?>("--until") { Description = "Only decisions created before this time (ISO 8601)." };
        var by = new Option<string?>("--by") { Description = "Also report per UTC day or hour (day|hour)." };
        var maxPsi = new Option<double>("--max-psi") { Description = "Alert when the population stability index of the score or of a feature is above this.", DefaultValueFactory = _ => new MonitorOptions().MaxPsi };
        var maxTrustedError = new Option<double?>("--max-trusted-error") { Description = "Alert when the estimated error rate among trusted decisions (from the audit sample) is above this." };
        var strict = new Option<bool>("--strict") { Description = "Exit with code 1 when any alert is raised." };
        var command = new Command("monitor", "Monitor the router from its audit store: volume, queues, audited error rate of trusted decisions, overturns, drift.")
        {
            output, since, until, by, maxPsi, maxTrustedError, strict,
        };
        foreach (var option in store.All)
        {
            command.Options.Add(option);
        }

        command.SetAction(async (parse, cancel) =>
        {
            MonitorOptions options;
            try
            {
                options = new MonitorOptions
                {
                    By = parse.GetValue(by) is { } period ? MonitorPeriods.Parse(period) : MonitorPeriod.None,
                    MaxPsi = parse.GetValue(maxPsi),
                    MaxTrustedError = parse.GetValue(maxTrustedError),
                };
                options.Validate();
            }
            catch (Exception e) when (e is ArgumentOutOfRangeException or FormatException)
            {
                throw new CliException(e.Message.Split(" (Parameter", 2)[0]);
            }

            var from = CommonOptions.Time(parse.GetValue(since), "--since");
            var to = CommonOptions.Time(parse.GetValue(until), "--until");
            if (from is { } f && to is { } t && t <= f)
            {
                throw new CliException($"--until {to:O} is not after --since {from:O}");
            }

            var (kind, database, connection) = store.Read(parse);
            using var folder = ReportFolder.Open(parse.GetValue(output), "--output");
            var report = await StoreMonitor.RunAsync(kind, database, connection, options, from, to, TimeProvider.System, note => Console.Error.WriteLine($"monitor: {note}")).ConfigureAwait(false);
            folder.Guard(() => MonitorReportWriter.Write(report, from, to, folder));
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"monitor: {report.Decisions} decisions of {report.Models.Count} models, {report.Alerts.Count} alerts -> {folder.Target}"));
            foreach (var alert in report.Alerts)
            {
                Console.Error.WriteLine($"monitor: alert: {MonitorReportWriter.Short(alert.Model)}: {alert.What}");
            }

            return parse.GetValue(strict) && report.Alerts.Count > 0 ? ExitCodes.Alerts : ExitCodes.Ok;
        });
        return command;
    }
}
