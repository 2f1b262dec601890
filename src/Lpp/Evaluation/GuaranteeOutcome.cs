namespace Lpp;

/// <summary>
/// One split's model trained with a trusted-error guarantee (<see cref="EscalationTrainerOptions.MaxTrustedError"/>),
/// measured on the split's untouched test part.
/// </summary>
/// <param name="MaxTrustedError">The error rate among trusted items the threshold was to guarantee (A).</param>
/// <param name="Feasible">Whether a threshold qualified on the calibration part; when none did the model escalates everything.</param>
/// <param name="Metrics">The deployed policy on the test part: its realised error rate among trusted items, escalation ratio and cost.</param>
public sealed record GuaranteeOutcome(double MaxTrustedError, bool Feasible, MethodMetrics Metrics);
