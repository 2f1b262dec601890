using ScottPlot;

namespace Lpp.Cli.Reports;

/// <summary>The report's charts as PNG files (ScottPlot, rendered by SkiaSharp without a display).</summary>
internal static class Plots
{
    private const int Width = 800;
    private const int Height = 500;

    /// <summary>ROC curves of every method with a varying score, with the chance diagonal.</summary>
    public static void Roc(IReadOnlyList<MethodCurves> curves, string path)
    {
        var plot = new Plot();
        var diagonal = plot.Add.Line(0, 0, 1, 1);
        diagonal.LinePattern = LinePattern.Dashed;
        diagonal.Color = Colors.Gray;
        var palette = new ScottPlot.Palettes.Category10();
        var i = 0;
        foreach (var c in curves.Where(c => c.Method != Method.AlwaysTrust && c.Roc.Count > 0))
        {
            var line = plot.Add.ScatterLine(c.Roc.Select(p => p.FalsePositiveRate).ToArray(), c.Roc.Select(p => p.TruePositiveRate).ToArray(), palette.GetColor(i++));
            line.LegendText = c.Method.Name;
            line.LineWidth = c.Method == Method.MetaModel ? 3 : 1.5f;
        }

        plot.Title("ROC: score against the LLM being right");
        plot.XLabel("wrong answers trusted (false positive rate)");
        plot.YLabel("right answers trusted (true positive rate)");
        plot.Axes.SetLimits(0, 1, 0, 1);
        plot.ShowLegend(Alignment.LowerRight);
        Save(plot, path);
    }

    /// <summary>Reliability diagram of the meta-model: observed share right against mean predicted P(right) per bin, with the bin counts.</summary>
    public static void Reliability(IReadOnlyList<ReliabilityBin> bins, string path)
    {
        var plot = new Plot();
        var diagonal = plot.Add.Line(0, 0, 1, 1);
        diagonal.LinePattern = LinePattern.Dashed;
        diagonal.Color = Colors.Gray;
        var filled = bins.Where(b => b.Count > 0).ToList();
        var line = plot.Add.Scatter(filled.Select(b => b.MeanScore).ToArray(), filled.Select(b => b.Accuracy).ToArray());
        line.LegendText = Method.MetaModel.Name;
        line.MarkerSize = 9;
        line.LineWidth = 0;
        foreach (var b in filled)
        {
            var label = plot.Add.Text(b.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), b.MeanScore, b.Accuracy);
            label.LabelFontSize = 12;
            label.OffsetY = -14;
        }

        plot.Title("Reliability of the meta-model (numbers: records per bin)");
        plot.XLabel("mean predicted P(right) in the bin");
        plot.YLabel("observed share right");
        plot.Axes.SetLimits(0, 1.05, 0, 1.05);
        Save(plot, path);
    }

    /// <summary>Expected cost against τ for one method, with the chosen τ marked.</summary>
    public static void CostAgainstTau(MethodCurves curves, string path)
    {
        var plot = new Plot();
        var points = curves.CostCurve;
        var line = plot.Add.ScatterLine(points.Select(p => p.Tau).ToArray(), points.Select(p => p.Cost).ToArray());
        line.LineWidth = 2;
        line.ConnectStyle = ConnectStyle.StepVertical;
        if (curves.Tau is { } tau && double.IsFinite(tau))
        {
            var marker = plot.Add.VerticalLine(tau);
            marker.LinePattern = LinePattern.Dashed;
            marker.Color = Colors.Red;
            marker.LegendText = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"chosen tau {tau:G4}");
            plot.ShowLegend(Alignment.UpperRight);
        }

        plot.Title($"Expected cost against tau: {curves.Method}");
        plot.XLabel("tau (trust iff score >= tau)");
        plot.YLabel("cost on these records (lower is better)");
        Save(plot, path);
    }

    /// <summary>Cost against escalation ratio for every method's threshold sweep, each method's chosen point marked.</summary>
    public static void EscalationAgainstCost(IReadOnlyList<MethodCurves> curves, IReadOnlyDictionary<Method, MethodMetrics> chosen, string path)
    {
        var plot = new Plot();
        var palette = new ScottPlot.Palettes.Category10();
        var i = 0;
        foreach (var c in curves.Where(c => c.Method != Method.AlwaysTrust))
        {
            var color = palette.GetColor(i++);
            var line = plot.Add.ScatterLine(c.CostCurve.Select(p => p.EscalationRatio).ToArray(), c.CostCurve.Select(p => p.Cost).ToArray(), color);
            line.LegendText = c.Method.Name;
            line.LineWidth = c.Method == Method.MetaModel ? 3 : 1.5f;
            var m = chosen[c.Method];
            var point = plot.Add.Marker(m.EscalationRatio, m.Cost, MarkerShape.FilledCircle, 10, color);
            point.LegendText = string.Empty;
        }

        var always = chosen[Method.AlwaysTrust];
        var trustAll = plot.Add.Marker(0, always.Cost, MarkerShape.FilledSquare, 10, Colors.Black);
        trustAll.LegendText = Method.AlwaysTrust.Name;
        plot.Title("Cost against share escalated (dots: chosen thresholds)");
        plot.XLabel("share of items escalated");
        plot.YLabel("cost (lower is better)");
        plot.ShowLegend(Alignment.UpperRight);
        Save(plot, path);
    }

    /// <summary>The model's mean coefficients (standardised features) as horizontal bars coloured by family.</summary>
    public static void Coefficients(EscalationModel model, string path)
    {
        var plot = new Plot();
        var palette = new ScottPlot.Palettes.Category10();
        var rows = ModelReport.Coefficients(model).ToList();
        var families = rows.Select(r => ModelReport.Family(r.Name)).Distinct().ToList();
        var ticks = new List<Tick>();
        for (var i = 0; i < rows.Count; i++)
        {
            var family = ModelReport.Family(rows[i].Name);
            var position = rows.Count - 1 - i;
            plot.Add.Bar(new Bar { Position = position, Value = rows[i].Coefficient, FillColor = palette.GetColor(families.IndexOf(family)), Orientation = Orientation.Horizontal });
            ticks.Add(new Tick(position, rows[i].Name));
        }

        foreach (var family in families)
        {
            plot.Legend.ManualItems.Add(new LegendItem { LabelText = ModelReport.FamilyTitle(family), FillColor = palette.GetColor(families.IndexOf(family)) });
        }

        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual([.. ticks]);
        plot.Axes.Left.MajorTickStyle.Length = 0;
        plot.Title("Meta-model coefficients by family (+ pushes towards trust)");
        plot.XLabel("mean ridge coefficient over fold models (standardised features)");
        plot.ShowLegend(Alignment.LowerRight);
        Save(plot, path, Width, Math.Max(Height, 40 + (18 * rows.Count)));
    }

    /// <summary>Ablation bars: mean cost change when each family is left out, with its spread over the splits as error bars.</summary>
    public static void Ablation(IReadOnlyList<(string Label, double Mean, double Sd)> bars, string title, string path)
    {
        var plot = new Plot();
        var ticks = new List<Tick>();
        for (var i = 0; i < bars.Count; i++)
        {
            plot.Add.Bar(new Bar { Position = i, Value = bars[i].Mean, Error = bars[i].Sd, FillColor = bars[i].Mean > 0 ? Colors.IndianRed : Colors.SteelBlue });
            ticks.Add(new Tick(i, bars[i].Label));
        }

        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual([.. ticks]);
        plot.Add.HorizontalLine(0, 1, Colors.Black);
        plot.Title(title);
        plot.YLabel("test cost change without the family (+ = the family saves cost)");
        Save(plot, path, Math.Max(Width, 60 * bars.Count), Height);
    }

    private static void Save(Plot plot, string path, int width = Width, int height = Height) => plot.SavePng(path, width, height);
}
