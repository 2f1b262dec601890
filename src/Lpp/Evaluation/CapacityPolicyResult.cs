namespace Lpp;

/// <summary>One policy of a <see cref="CapacityReplay"/>: its cost (lower is better) and how many items it escalated.</summary>
/// <param name="Policy">unconstrained, by_saving or first_come.</param>
/// <param name="Cost">Total cost of its decisions.</param>
/// <param name="Escalated">Items escalated.</param>
/// <param name="Items">Labelled items replayed.</param>
public sealed record CapacityPolicyResult(string Policy, double Cost, int Escalated, int Items);
