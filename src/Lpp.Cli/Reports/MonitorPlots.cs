using ScottPlot;

namespace Lpp.Cli.Reports;

/// <summary>The monitoring report's charts as PNG files (as <see cref="Plots"/>).</summary>
internal static class MonitorPlots
{
    private const int Width = 800;
    private const int Height = 500;

    /// <summary>PSI of the score and of every profiled feature, highest first, with the alert threshold as a line.</summary>
    public static void Drift(DriftSummary drift, double maxPsi, string path)
    {
        var bars = drift.Features.Where(f => !double.IsNaN(f.Psi)).OrderByDescending(f => f.Psi).Prepend(("score", drift.ScorePsi)).ToList();
        var plot = new Plot();
        var ticks = new List<Tick>();
        for (var i = 0; i < bars.Count; i++)
        {
            var y = bars.Count - 1 - i;
            plot.Add.Bar(new Bar { Position = y, Value = bars[i].Item2, FillColor = bars[i].Item2 > maxPsi ? Colors.IndianRed : Colors.SteelBlue, Orientation = Orientation.Horizontal });
            ticks.Add(new Tick(y, bars[i].Item1));
        }

        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual([.. ticks]);
        var threshold = plot.Add.VerticalLine(maxPsi, 1.5f, Colors.Black);
        threshold.LinePattern = LinePattern.Dashed;
        plot.Title("Population stability index against the training profile (red: above the alert threshold)");
        plot.XLabel("PSI");
        plot.Axes.Left.MinimumSize = 8 * bars.Max(b => b.Item1.Length) + 10;
        plot.SavePng(path, Width, Math.Max(Height, 60 + (18 * bars.Count)));
    }

    /// <summary>The score's bins: training share against the window's share (the last pair is the missing share).</summary>
    public static void Score(DriftSummary drift, string path)
    {
        var plot = new Plot();
        var ticks = new List<Tick>();
        for (var i = 0; i < drift.ScoreExpected.Length; i++)
        {
            plot.Add.Bar(new Bar { Position = (3 * i) + 0, Value = drift.ScoreExpected[i], FillColor = Colors.Gray });
            plot.Add.Bar(new Bar { Position = (3 * i) + 1, Value = drift.ScoreObserved[i], FillColor = Colors.SteelBlue });
            ticks.Add(new Tick((3 * i) + 0.5, i == drift.ScoreExpected.Length - 1 ? "missing" : $"bin {i + 1}"));
        }

        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual([.. ticks]);
        plot.Title("Score by training quantile bin: training (grey) against this window (blue)");
        plot.YLabel("share of decisions");
        plot.SavePng(path, Width, Height);
    }

    /// <summary>Per period: the escalation ratio and the estimated error rate among trusted decisions (where any audit was reviewed).</summary>
    public static void Periods(IReadOnlyList<PeriodSummary> periods, string path)
    {
        var plot = new Plot();
        var x = periods.Select((_, i) => (double)i).ToArray();
        var escalation = plot.Add.ScatterLine(x, periods.Select(p => p.Summary.EscalationRatio).ToArray());
        escalation.LegendText = "escalation ratio";
        var audited = periods.Select((p, i) => (X: (double)i, p.Summary.Audit.Estimate)).Where(p => p.Estimate.Reviewed > 0).ToList();
        if (audited.Count > 0)
        {
            var error = plot.Add.Scatter(audited.Select(p => p.X).ToArray(), audited.Select(p => p.Estimate.Rate).ToArray());
            error.LegendText = "estimated trusted error rate";
            error.LineWidth = 0;
            error.MarkerSize = 8;
        }

        var ticks = periods.Select((p, i) => new Tick(i, DateTimeOffset.FromUnixTimeMilliseconds(p.StartMs).ToString("MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture))).ToArray();
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(ticks);
        plot.Axes.Bottom.TickLabelStyle.Rotation = 45;
        plot.Title("Per period (UTC start)");
        plot.YLabel("share");
        plot.ShowLegend(Alignment.UpperRight);
        plot.SavePng(path, Width, Height);
    }
}
