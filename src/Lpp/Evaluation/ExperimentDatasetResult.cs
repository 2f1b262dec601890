namespace Lpp;

/// <summary>One dataset's experiment: every split, plus the first split's model and detailed evaluation.</summary>
/// <param name="Name">The dataset's name.</param>
/// <param name="Model">The source.model of its records ("-" when absent or mixed).</param>
/// <param name="Task">The source.task of its records ("-" when absent or mixed).</param>
/// <param name="Records">Labelled records.</param>
/// <param name="Errors">LLM errors among them.</param>
/// <param name="WithoutTruth">Records left out because their truth is unknown.</param>
/// <param name="Splits">Every split, in seed order.</param>
/// <param name="FirstModel">The model trained on the first split (null when it could not be trained there).</param>
/// <param name="FirstEvaluation">The first split's test evaluation with bootstrap intervals, groups and curves (null with <paramref name="FirstModel"/>).</param>
public sealed record ExperimentDatasetResult(string Name, string Model, string Task, int Records, int Errors, int WithoutTruth, IReadOnlyList<ExperimentSplit> Splits, EscalationModel? FirstModel, EvaluationSummary? FirstEvaluation)
{
    /// <summary>The feature analysis of the first split's training part over the features its model reads (null with <see cref="FirstModel"/>).</summary>
    public FeatureAnalysis? FirstAnalysis { get; init; }

    /// <summary>Every method that ran on at least one split, in report order (always trust, signals, meta-model, other recipes).</summary>
    public IReadOnlyList<Method> Methods => [.. Splits.SelectMany(s => s.Methods.Keys).Distinct().OrderBy(Order)];

    /// <summary>Every method that could not run on at least one split, in report order.</summary>
    public IReadOnlyList<Method> SkippedMethods => [.. Splits.SelectMany(s => s.Skipped.Keys).Distinct().OrderBy(Order)];

    /// <summary>A method's test cost over the splits where it ran.</summary>
    public Spread Cost(Method method) => Over(method, m => m.Cost);

    /// <summary>A method's test ROC AUC over the splits where it ran.</summary>
    public Spread Auc(Method method) => Over(method, m => m.Auc);

    /// <summary>A method's test escalation ratio over the splits where it ran.</summary>
    public Spread EscalationRatio(Method method) => Over(method, m => m.EscalationRatio);

    /// <summary>A method's test F1 of the error class over the splits where it ran.</summary>
    public Spread F1Error(Method method) => Over(method, m => m.F1Error);

    /// <summary>A method's realised error rate among the items it trusted, over the splits where it ran and trusted something.</summary>
    public Spread TrustedErrorRate(Method method) => Over(method, m => m.TrustedErrorRate);

    /// <summary>A method's threshold over the splits where it ran (empty for always-trust).</summary>
    public Spread Tau(Method method) => Spread.Of(Splits.Where(s => s.Methods.ContainsKey(method) && s.Methods[method].Tau is not null).Select(s => s.Methods[method].Tau!.Value));

    /// <summary>Splits on which a method ran.</summary>
    public int Runs(Method method) => Splits.Count(s => s.Methods.ContainsKey(method));

    /// <summary>Why a method could not run, each distinct reason with the number of splits it applied to.</summary>
    public IReadOnlyList<(string Reason, int Splits)> Skips(Method method) =>
        [.. Splits.Where(s => s.Skipped.ContainsKey(method)).GroupBy(s => s.Skipped[method], StringComparer.Ordinal).Select(g => (g.Key, g.Count()))];

    /// <summary>The single signal with the lowest mean test cost among those that ran on every split (ties: first in <see cref="Method.Signals"/>); null when none did.</summary>
    public Method? BestBaseline => Method.Signals.Where(b => Runs(b) == Splits.Count).OrderBy(b => Cost(b).Mean).Cast<Method?>().FirstOrDefault();

    /// <summary>Per split where both ran, the meta-model's cost minus the best baseline's (negative = the meta-model is cheaper).</summary>
    public Spread CostDifferenceToBestBaseline => BestBaseline is { } best
        ? Spread.Of(Splits.Where(s => s.Methods.ContainsKey(Method.MetaModel) && s.Methods.ContainsKey(best)).Select(s => s.Methods[Method.MetaModel].Cost - s.Methods[best].Cost))
        : Spread.Of([]);

    /// <summary>
    /// Per split, the cost of escalating every test item (counted from the split's test records and errors: each
    /// right answer costs <see cref="CostModel.ItemCost"/>(escalated, right), each wrong one (escalated, wrong)).
    /// </summary>
    public Spread EscalateEverythingCost(CostModel cost)
    {
        ArgumentNullException.ThrowIfNull(cost);
        return Spread.Of(Splits.Select(s => EscalateEverything(s, cost)));
    }

    /// <summary>
    /// The simple policy with the lowest mean test cost (always trust, escalate everything, or a single signal that
    /// ran on every split; chosen after seeing the test parts, so in its favour) and, per split where the meta-model
    /// ran, the meta-model's cost minus that policy's: the paired difference whose mean over the splits is judged
    /// against its standard error (negative = the meta-model is cheaper).
    /// </summary>
    public (string Name, Spread Difference) CheapestSimplePolicy(CostModel cost)
    {
        ArgumentNullException.ThrowIfNull(cost);
        var policies = new List<(string Name, Func<ExperimentSplit, double> Cost)>
        {
            (Method.AlwaysTrust.Name, s => s.Methods.TryGetValue(Method.AlwaysTrust, out var m) ? m.Cost : double.NaN),
            ("escalate_everything", s => EscalateEverything(s, cost)),
        };
        policies.AddRange(Method.Signals.Where(b => Runs(b) == Splits.Count).Select(b => (b.Name, (Func<ExperimentSplit, double>)(s => s.Methods[b].Cost))));
        var cheapest = policies.OrderBy(p => Splits.Average(p.Cost)).First();
        var difference = Spread.Of(Splits.Where(s => s.Methods.ContainsKey(Method.MetaModel)).Select(s => s.Methods[Method.MetaModel].Cost - cheapest.Cost(s)));
        return (cheapest.Name, difference);
    }

    private static double EscalateEverything(ExperimentSplit s, CostModel cost) =>
        (s.TestErrors * cost.ItemCost(false, false)) + ((s.TestRecords - s.TestErrors) * cost.ItemCost(false, true));

    /// <summary>Test LLM errors per split.</summary>
    public Spread TestErrors => Spread.Of(Splits.Select(s => (double)s.TestErrors));

    /// <summary>The cost and AUC change of leaving out <paramref name="family"/>, over the splits (empty spreads when ablations were not run).</summary>
    public (Spread CostChange, Spread AucChange, bool InModel) Ablation(FeatureFamily family)
    {
        var runs = Splits.SelectMany(s => s.Ablations.Where(a => a.Family == family)).ToList();
        return (Spread.Of(runs.Select(a => a.CostChange)), Spread.Of(runs.Select(a => a.AucChange)), runs.Any(a => a.InModel));
    }

    /// <summary>The cost-ratio table's numbers for one ratio, over the splits.</summary>
    public (Spread AlwaysTrust, Spread AtChosen, Spread AtReoptimised, Spread AtHindsight) CostRatio(double ratio)
    {
        var points = Splits.SelectMany(s => s.CostRatios.Where(c => c.Ratio == ratio)).ToList();
        return (Spread.Of(points.Select(p => p.AlwaysTrust)), Spread.Of(points.Select(p => p.CostAtChosenTau)),
            Spread.Of(points.Select(p => p.CostAtReoptimisedTau)), Spread.Of(points.Select(p => p.CostAtHindsightTau)));
    }

    private Spread Over(Method method, Func<MethodMetrics, double> value) =>
        Spread.Of(Splits.Where(s => s.Methods.ContainsKey(method)).Select(s => value(s.Methods[method])));

    private static (int, string) Order(Method method) => method.Kind switch
    {
        MethodKind.AlwaysTrust => (0, string.Empty),
        MethodKind.Signal => (1, Method.Signals.ToList().IndexOf(method).ToString("D2", System.Globalization.CultureInfo.InvariantCulture)),
        MethodKind.MetaModel => (2, string.Empty),
        _ => (3, method.Name),
    };
}
