namespace Lpp;

/// <summary>The outcome of trusting every item whose score is at least <paramref name="Tau"/>.</summary>
/// <param name="Tau">The threshold.</param>
/// <param name="Cost">The cost model's cost at that threshold (lower is better).</param>
/// <param name="EscalationRatio">Share of labelled items escalated at that threshold.</param>
public sealed record CostCurvePoint(double Tau, double Cost, double EscalationRatio);
