namespace Lpp;

/// <summary>One period (hour or day, UTC) of a model's decisions.</summary>
/// <param name="StartMs">The period's start (Unix ms).</param>
/// <param name="Summary">Its decisions.</param>
public sealed record PeriodSummary(long StartMs, ModelSummary Summary);
