namespace Lpp;

/// <summary>The curves of one method on labelled records.</summary>
/// <param name="Method">The method.</param>
/// <param name="Roc">ROC points (empty when a class is missing).</param>
/// <param name="CostCurve">Cost and escalation ratio against τ, by increasing τ.</param>
/// <param name="Tau">The method's chosen threshold (null for always-trust).</param>
public sealed record MethodCurves(Method Method, IReadOnlyList<RocPoint> Roc, IReadOnlyList<CostCurvePoint> CostCurve, double? Tau);
