namespace Lpp;

/// <summary>The outcome of <see cref="ModelComparison.Compare"/>: both models' cost and AUC on the same labelled records, and the paired difference B − A.</summary>
/// <param name="Records">Labelled records compared on.</param>
/// <param name="Errors">LLM errors among them.</param>
/// <param name="CostA">Total cost of A's decisions (lower is better).</param>
/// <param name="CostB">Total cost of B's decisions.</param>
/// <param name="AucA">ROC AUC of A's score for the LLM being right (higher is better).</param>
/// <param name="AucB">ROC AUC of B's score.</param>
/// <param name="CostDifference">95% paired bootstrap interval of cost B − A (below 0: B is cheaper).</param>
/// <param name="AucDifference">95% paired bootstrap interval of AUC B − A (above 0: B ranks better).</param>
/// <param name="ProbabilityBCheaper">Share of bootstrap resamples in which B cost less than A.</param>
/// <param name="Agreement">Share of records both models decided the same way (trust or escalate).</param>
/// <param name="Recommendation">One line: deploy B, or keep A and why.</param>
public sealed record ModelComparisonResult(
    int Records,
    int Errors,
    double CostA,
    double CostB,
    double AucA,
    double AucB,
    Interval CostDifference,
    Interval AucDifference,
    double ProbabilityBCheaper,
    double Agreement,
    string Recommendation);
