namespace Lpp;

/// <summary>The splits of a <see cref="RecipeComparison"/> on one dataset, with their means.</summary>
/// <param name="Dataset">The dataset's name.</param>
/// <param name="Records">Labelled records.</param>
/// <param name="Errors">LLM errors among them.</param>
/// <param name="Splits">Every split's test metrics.</param>
public sealed record RecipeComparisonResult(string Dataset, int Records, int Errors, IReadOnlyList<RecipeComparisonSplit> Splits)
{
    /// <summary>Mean test cost of a method over the splits where it ran (NaN when it never ran).</summary>
    public double MeanCost(string method) => Mean(method, m => m.Cost);

    /// <summary>Mean test AUC of a method over the splits where it ran.</summary>
    public double MeanAuc(string method) => Mean(method, m => m.Auc);

    /// <summary>Splits on which a method ran.</summary>
    public int Runs(string method) => Splits.Count(s => s.Metrics.ContainsKey(method));

    /// <summary>The baseline with the lowest mean test cost.</summary>
    public string BestBaseline => BaselineThreshold.Names.Where(m => Runs(m) > 0).OrderBy(MeanCost).First();

    private double Mean(string method, Func<MethodMetrics, double> value)
    {
        var values = Splits.Where(s => s.Metrics.ContainsKey(method)).Select(s => value(s.Metrics[method])).Where(v => !double.IsNaN(v)).ToList();
        return values.Count == 0 ? double.NaN : values.Average();
    }
}
