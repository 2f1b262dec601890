using System.Globalization;
using System.Text;
using System.Text.Json;
using static Lpp.Cli.Reports.ReportText;

namespace Lpp.Cli.Reports;

/// <summary>
/// Writes <c>lpp monitor</c>'s report folder: <c>monitor.json</c> (every number, undefined ones <c>null</c>),
/// <c>report.md</c>, the self-contained <c>report.html</c> and per model its plots.
/// </summary>
internal static class MonitorReportWriter
{
    /// <summary>A model checksum shortened for text: <c>sha256:</c> and the first 12 hex digits.</summary>
    public static string Short(string checksum) => checksum.Length > 19 ? checksum[..19] : checksum;

    /// <summary>Writes every file into <paramref name="folder"/>'s staging area and commits it.</summary>
    public static void Write(MonitorReport report, DateTimeOffset? since, DateTimeOffset? until, ReportFolder folder)
    {
        using (var stream = File.Create(folder.File("monitor.json")))
        {
            WriteJson(report, since, until, stream);
        }

        foreach (var model in report.Models)
        {
            var name = FileName(model.Checksum);
            if (model.Summary.Drift is { } drift)
            {
                MonitorPlots.Drift(drift, report.Options.MaxPsi, folder.File($"drift-{name}.png"));
                MonitorPlots.Score(drift, folder.File($"score-{name}.png"));
            }

            if (model.Periods.Count > 1)
            {
                MonitorPlots.Periods(model.Periods, folder.File($"periods-{name}.png"));
            }
        }

        var markdown = Markdown(report, since, until);
        File.WriteAllText(folder.File("report.md"), markdown);
        File.WriteAllText(folder.File("report.html"), MarkdownHtml.Convert(markdown, "lpp monitor", folder.Staging));
        folder.Commit();
    }

    /// <summary>
    /// <c>{"window": {"since", "until", "by", "first", "last", "decisions", "generated", "max_psi", "max_trusted_error"},
    /// "models": {"&lt;checksum&gt;": {"decisions", "escalation_ratio", "over_capacity", "queues": {"&lt;queue&gt;": {"pending",
    /// "oldest_age_s", "decisions"}}, "audit": {"rate", "sampled", "reviewed", "errors", "trusted_error_rate", "ci95",
    /// "expected"}, "drift": {"score_psi", "features": {"&lt;name&gt;": psi}} | null, "overturn": {"&lt;reason&gt;": rate},
    /// "overturn_reviewed": {"&lt;reason&gt;": n}, "shadow": {"&lt;shadow checksum&gt;": {"decisions", "unscored", "agreement",
    /// "reviewed", "audited_reviewed", "estimated_cost", "serving_cost", "difference", "difference_ci95", "estimate_missing"}},
    /// "training_profile": bool, "periods": [{"start", ...the same}]}}, "alerts": [{"model", "what", "value", "threshold"}]}</c>.
    /// </summary>
    public static void WriteJson(MonitorReport report, DateTimeOffset? since, DateTimeOffset? until, Stream stream)
    {
        using var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        w.WriteStartObject();
        w.WriteStartObject("window");
        TimeOrNull(w, "since", since?.ToUnixTimeMilliseconds());
        TimeOrNull(w, "until", until?.ToUnixTimeMilliseconds());
        if (report.Options.By.Name() is { } by)
        {
            w.WriteString("by", by);
        }
        else
        {
            w.WriteNull("by");
        }

        var any = report.Models.Where(m => m.Summary.Decisions > 0).ToList();
        TimeOrNull(w, "first", any.Count == 0 ? null : any.Min(m => m.Summary.FirstMs));
        TimeOrNull(w, "last", any.Count == 0 ? null : any.Max(m => m.Summary.LastMs));
        w.WriteNumber("decisions", report.Decisions);
        TimeOrNull(w, "generated", report.NowMs);
        w.WriteNumber("max_psi", report.Options.MaxPsi);
        Number(w, "max_trusted_error", report.Options.MaxTrustedError ?? double.NaN);
        w.WriteEndObject();
        w.WriteStartObject("models");
        foreach (var model in report.Models)
        {
            w.WriteStartObject(model.Checksum);
            WriteSummary(w, model.Summary);
            w.WriteBoolean("training_profile", model.HasProfile);
            w.WriteStartArray("periods");
            foreach (var period in model.Periods)
            {
                w.WriteStartObject();
                TimeOrNull(w, "start", period.StartMs);
                WriteSummary(w, period.Summary);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        w.WriteEndObject();
        w.WriteStartArray("alerts");
        foreach (var alert in report.Alerts)
        {
            w.WriteStartObject();
            w.WriteString("model", alert.Model);
            w.WriteString("what", alert.What);
            Number(w, "value", alert.Value);
            Number(w, "threshold", alert.Threshold);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void WriteSummary(Utf8JsonWriter w, ModelSummary s)
    {
        w.WriteNumber("decisions", s.Decisions);
        Number(w, "escalation_ratio", s.EscalationRatio);
        w.WriteNumber("over_capacity", s.OverCapacity);
        w.WriteStartObject("queues");
        foreach (var (queue, q) in s.Queues)
        {
            w.WriteStartObject(queue);
            w.WriteNumber("pending", q.Pending);
            Number(w, "oldest_age_s", q.OldestAgeSeconds);
            w.WriteNumber("decisions", q.Decisions);
            w.WriteEndObject();
        }

        w.WriteEndObject();
        var estimate = s.Audit.Estimate;
        w.WriteStartObject("audit");
        Number(w, "rate", s.Audit.Rate);
        w.WriteNumber("sampled", estimate.Sampled);
        w.WriteNumber("reviewed", estimate.Reviewed);
        w.WriteNumber("errors", estimate.Errors);
        Number(w, "trusted_error_rate", estimate.Rate);
        w.WriteStartArray("ci95");
        w.WriteNumberValue(estimate.Ci95.Low);
        w.WriteNumberValue(estimate.Ci95.High);
        w.WriteEndArray();
        Number(w, "expected", s.Audit.Expected);
        w.WriteEndObject();
        if (s.Drift is { } drift)
        {
            w.WriteStartObject("drift");
            Number(w, "score_psi", drift.ScorePsi);
            w.WriteStartObject("features");
            foreach (var (feature, psi) in drift.Features)
            {
                Number(w, feature, psi);
            }

            w.WriteEndObject();
            w.WriteEndObject();
        }
        else
        {
            w.WriteNull("drift");
        }

        w.WriteStartObject("overturn");
        foreach (var (reason, o) in s.Overturn)
        {
            Number(w, reason, o.Rate);
        }

        w.WriteEndObject();
        w.WriteStartObject("overturn_reviewed");
        foreach (var (reason, o) in s.Overturn)
        {
            w.WriteNumber(reason, o.Reviewed);
        }

        w.WriteEndObject();
        w.WriteStartObject("shadow");
        foreach (var (checksum, shadow) in s.Shadows)
        {
            w.WriteStartObject(checksum);
            w.WriteNumber("decisions", shadow.Decisions);
            w.WriteNumber("unscored", shadow.Unscored);
            Number(w, "agreement", shadow.Agreement);
            w.WriteNumber("reviewed", shadow.Reviewed);
            w.WriteNumber("audited_reviewed", shadow.AuditedReviewed);
            Number(w, "estimated_cost", shadow.EstimatedCost);
            Number(w, "serving_cost", shadow.ServingCost);
            Number(w, "difference", shadow.Difference);
            if (double.IsFinite(shadow.DifferenceCi95.Low))
            {
                w.WriteStartArray("difference_ci95");
                w.WriteNumberValue(shadow.DifferenceCi95.Low);
                w.WriteNumberValue(shadow.DifferenceCi95.High);
                w.WriteEndArray();
            }
            else
            {
                w.WriteNull("difference_ci95");
            }

            if (shadow.Missing is { } missing)
            {
                w.WriteString("estimate_missing", missing);
            }
            else
            {
                w.WriteNull("estimate_missing");
            }

            w.WriteEndObject();
        }

        w.WriteEndObject();
    }

    private static string Markdown(MonitorReport report, DateTimeOffset? since, DateTimeOffset? until)
    {
        var md = new StringBuilder();
        var c = CultureInfo.InvariantCulture;
        md.Append("# Monitoring report\n\n");
        md.Append(c, $"{(report.Alerts.Count == 0 ? "No threshold crossed" : $"**{report.Alerts.Count} alert{(report.Alerts.Count == 1 ? string.Empty : "s")}**")}: {report.Decisions:N0} decisions of {report.Models.Count} model{(report.Models.Count == 1 ? string.Empty : "s")} ")
          .Append(c, $"from {(since is { } from ? Time(from.ToUnixTimeMilliseconds()) : "the first")} to {(until is { } u ? Time(u.ToUnixTimeMilliseconds()) : "the last")} decision")
          .Append(c, $", generated {Time(report.NowMs)}; alert thresholds: PSI above {report.Options.MaxPsi}")
          .Append(report.Options.MaxTrustedError is { } e ? Inv($", estimated trusted error rate above {e}") : string.Empty)
          .Append(".\n\n");
        if (report.Alerts.Count > 0)
        {
            md.Append("## Alerts\n\n");
            foreach (var alert in report.Alerts)
            {
                md.Append(c, $"- `{Short(alert.Model)}`: {alert.What}\n");
            }

            md.Append('\n');
        }

        foreach (var model in report.Models)
        {
            var s = model.Summary;
            var name = FileName(model.Checksum);
            md.Append(c, $"## Model `{Short(model.Checksum)}`\n\n");
            md.Append(c, $"{s.Decisions:N0} decisions from {Time(s.FirstMs)} to {Time(s.LastMs)}, {Percent(s.EscalationRatio)} escalated.");
            if (s.OverCapacity > 0)
            {
                md.Append(c, $" {s.OverCapacity:N0} escalations were trusted instead because their queue was at capacity (`over_capacity`).");
            }

            md.Append(model.HasProfile ? "\n\n" : " Its model file has no training profile (written before profiles): no drift, no expected error rate.\n\n");
            var a = s.Audit;
            var est = a.Estimate;
            md.Append("### Error rate among trusted decisions (audit sample)\n\n");
            md.Append("| audit rate | sampled | reviewed | wrong | estimated error rate | 95% interval (exact) | expected from training |\n|---:|---:|---:|---:|---:|---|---:|\n");
            md.Append(c, $"| {Num(a.Rate, "0.####")} | {est.Sampled} | {est.Reviewed} | {est.Errors} | {Num(est.Rate, "0.0000")} | {(est.Reviewed == 0 ? "—" : Interval(est.Ci95, "0.0000"))} | {Num(a.Expected, "0.0000")} |\n\n");
            md.Append("### Queues\n\n| queue | decisions | pending | oldest pending |\n|---|---:|---:|---:|\n");
            foreach (var (queue, q) in s.Queues)
            {
                md.Append(c, $"| {queue} | {q.Decisions} | {q.Pending} | {Age(q.OldestAgeSeconds)} |\n");
            }

            md.Append('\n');
            if (s.Overturn.Count > 0)
            {
                md.Append("### Reviewers' overturns by escalation reason\n\nShare of reviewed escalations where the reviewer gave the LLM's own answer (it was right after all).\n\n| reason | reviewed | LLM right after all |\n|---|---:|---:|\n");
                foreach (var (reason, o) in s.Overturn)
                {
                    md.Append(c, $"| {reason} | {o.Reviewed} | {Percent(o.Rate)} |\n");
                }

                md.Append('\n');
            }

            foreach (var (checksum, shadow) in s.Shadows)
            {
                Shadow(md, checksum, shadow);
            }

            if (s.Drift is { } drift)
            {
                md.Append("### Drift against the training profile\n\n");
                md.Append(c, $"Population stability index of the score: {Num(drift.ScorePsi, "0.000")} (below 0.1 stable, 0.1-0.2 moderate, above 0.2 a significant shift).\n\n");
                md.Append("| feature | PSI |\n|---|---:|\n");
                foreach (var (feature, psi) in drift.Features.OrderByDescending(f => f.Psi).Take(10))
                {
                    md.Append(c, $"| {feature} | {Num(psi, "0.000")} |\n");
                }

                md.Append(c, $"\nThe ten highest of {drift.Features.Length} features; all are in `monitor.json`.\n\n");
                md.Append(c, $"![PSI per feature](drift-{name}.png)\n\n![Score distribution](score-{name}.png)\n\n");
            }

            if (model.Periods.Count > 0)
            {
                md.Append(c, $"### Per {report.Options.By.Name()}\n\n| start (UTC) | decisions | escalated | audited reviewed | estimated trusted error | score PSI |\n|---|---:|---:|---:|---:|---:|\n");
                foreach (var period in model.Periods)
                {
                    var p = period.Summary;
                    md.Append(c, $"| {Time(period.StartMs)} | {p.Decisions} | {Percent(p.EscalationRatio)} | {p.Audit.Estimate.Reviewed} | {Num(p.Audit.Estimate.Rate, "0.0000")} | {(p.Drift is { } d ? Num(d.ScorePsi, "0.000") : "—")} |\n");
                }

                md.Append('\n');
                if (model.Periods.Count > 1)
                {
                    md.Append(c, $"![Per period](periods-{name}.png)\n\n");
                }
            }
        }

        return md.ToString();
    }

    /// <summary>A shadow model's section: agreement, and both models' estimated cost per decision or, in words, why there is none.</summary>
    private static void Shadow(StringBuilder md, string checksum, ShadowSummary shadow)
    {
        var c = CultureInfo.InvariantCulture;
        md.Append(c, $"### Shadow model `{Short(checksum)}`\n\n");
        md.Append(c, $"It scored {shadow.Decisions:N0} of these decisions beside the serving model");
        md.Append(shadow.Unscored > 0 ? Inv($" ({shadow.Unscored:N0} more it could not score: records it was not trained for)") : string.Empty);
        md.Append(c, $" and decided as the serving model did (trust or escalate) on {Percent(shadow.Agreement)} of them.");
        if (shadow.Missing is { } missing)
        {
            md.Append(c, $" No estimate of either model's cost: {missing}.\n\n");
            return;
        }

        var escalated = shadow.Reviewed - shadow.AuditedReviewed;
        md.Append(c, $" Expected cost per decision estimated from {shadow.Reviewed:N0} reviewed decisions ({escalated:N0} escalated, weight 1; {shadow.AuditedReviewed:N0} audited trusted, weight 1/audit rate), which stand for {shadow.ReviewedWeight:N0} decisions, in the serving model's costs (lower is better):\n\n");
        var interval = shadow.DifferenceCi95;
        var verdict = !double.IsFinite(interval.Low) ? "no interval from fewer than 2 reviewed decisions"
            : interval.High < 0 ? "the shadow would have cost less"
            : interval.Low > 0 ? "the shadow would have cost more"
            : "no clear difference";
        md.Append("| model | estimated cost per decision |\n|---|---:|\n");
        md.Append(c, $"| serving model | {Num(shadow.ServingCost, "0.0000")} |\n");
        md.Append(c, $"| shadow model | {Num(shadow.EstimatedCost, "0.0000")} |\n");
        md.Append(c, $"| shadow − serving | {Num(shadow.Difference, "+0.0000;-0.0000;0.0000")} |\n\n");
        md.Append(double.IsFinite(interval.Low) ? Inv($"Approximate 95% interval of the difference: {Interval(interval, "+0.0000;-0.0000;0.0000")}: {verdict}.\n\n") : Inv($"{char.ToUpperInvariant(verdict[0])}{verdict[1..]}.\n\n"));
    }

    private static string FileName(string checksum) => checksum.Replace("sha256:", string.Empty, StringComparison.Ordinal)[..Math.Min(12, checksum.Length)];

    private static string Age(double seconds) =>
        double.IsNaN(seconds) ? "—" : seconds < 120 ? Inv($"{seconds:0} s") : seconds < 7200 ? Inv($"{seconds / 60:0} min") : Inv($"{seconds / 3600:0.0} h");

    private static string Time(long unixMs) => DateTimeOffset.FromUnixTimeMilliseconds(unixMs).ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);

    private static void TimeOrNull(Utf8JsonWriter w, string name, long? unixMs)
    {
        if (unixMs is { } ms)
        {
            w.WriteString(name, Time(ms));
        }
        else
        {
            w.WriteNull(name);
        }
    }

    private static void Number(Utf8JsonWriter w, string name, double value)
    {
        if (double.IsFinite(value))
        {
            w.WriteNumber(name, value);
        }
        else
        {
            w.WriteNull(name);
        }
    }
}
