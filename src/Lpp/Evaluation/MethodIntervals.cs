namespace Lpp;

/// <summary>Bootstrap intervals of one method's cost and ROC AUC.</summary>
/// <param name="Cost">Interval of the cost (lower is better).</param>
/// <param name="Auc">Interval of the ROC AUC (higher is better); undefined for a constant score.</param>
public sealed record MethodIntervals(Interval Cost, Interval Auc);
