namespace Lpp;

/// <summary>One dataset's experiment: every split, plus the first split's model and detailed evaluation.</summary>
/// <param name="Name">The dataset's name.</param>
/// <param name="Model">The source.model of its records ("-" when absent or mixed).</param>
/// <param name="Task">The source.task of its records ("-" when absent or mixed).</param>
/// <param name="Records">Labelled records.</param>
/// <param name="Errors">LLM errors among them.</param>
/// <param name="WithoutTruth">Records left out because their truth is unknown.</param>
/// <param name="Splits">Every split, in seed order.</param>
/// <param name="FirstModel">The model trained on the first split.</param>
/// <param name="FirstEvaluation">The first split's test evaluation with bootstrap intervals, groups and curves.</param>
public sealed record ExperimentDatasetResult(string Name, string Model, string Task, int Records, int Errors, int WithoutTruth, IReadOnlyList<ExperimentSplit> Splits, EscalationModel FirstModel, EvaluationSummary FirstEvaluation)
{
    /// <summary>A method's test cost over the splits.</summary>
    public Spread Cost(string method) => Spread.Of(Splits.Select(s => s.Methods[method].Cost));

    /// <summary>A method's test ROC AUC over the splits.</summary>
    public Spread Auc(string method) => Spread.Of(Splits.Select(s => s.Methods[method].Auc));

    /// <summary>A method's test escalation ratio over the splits.</summary>
    public Spread EscalationRatio(string method) => Spread.Of(Splits.Select(s => s.Methods[method].EscalationRatio));

    /// <summary>A method's test F1 of the error class over the splits.</summary>
    public Spread F1Error(string method) => Spread.Of(Splits.Select(s => s.Methods[method].F1Error));

    /// <summary>The baseline with the lowest mean test cost (ties: first in <see cref="BaselineThreshold.Names"/>).</summary>
    public string BestBaseline => BaselineThreshold.Names.OrderBy(b => Cost(b).Mean).First();

    /// <summary>Per split, the meta-model's cost minus the best baseline's (negative = the meta-model is cheaper).</summary>
    public Spread CostDifferenceToBestBaseline
    {
        get
        {
            var best = BestBaseline;
            return Spread.Of(Splits.Select(s => s.Methods["meta_model"].Cost - s.Methods[best].Cost));
        }
    }

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
}
