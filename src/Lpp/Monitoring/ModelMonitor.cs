namespace Lpp;

/// <summary>Everything <c>lpp monitor</c> reports about one model.</summary>
/// <param name="Checksum">The model file's checksum.</param>
/// <param name="HasProfile">Whether the model file holds a training profile (without one there is no drift).</param>
/// <param name="Summary">Its decisions over the whole window.</param>
/// <param name="Periods">Per period, oldest first (empty unless split by hour or day).</param>
public sealed record ModelMonitor(string Checksum, bool HasProfile, ModelSummary Summary, IReadOnlyList<PeriodSummary> Periods);
