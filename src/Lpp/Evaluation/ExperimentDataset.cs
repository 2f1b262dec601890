namespace Lpp;

/// <summary>Records that are split, trained on and evaluated together (one row of the experiment's tables).</summary>
/// <param name="Name">The row's name, e.g. "gpt-4o/boolq".</param>
/// <param name="Records">The records (those without truth are left out of splits).</param>
public sealed record ExperimentDataset(string Name, IReadOnlyList<DecisionRecord> Records);
