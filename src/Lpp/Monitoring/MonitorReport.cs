namespace Lpp;

/// <summary>The result of <c>lpp monitor</c>: per model its summary and periods, and the alerts raised.</summary>
/// <param name="Options">The options it ran with.</param>
/// <param name="NowMs">When it ran (Unix ms): pending ages are measured to it.</param>
/// <param name="Models">Per model, in order of first decision.</param>
/// <param name="Alerts">Each threshold crossed.</param>
public sealed record MonitorReport(MonitorOptions Options, long NowMs, IReadOnlyList<ModelMonitor> Models, IReadOnlyList<MonitorAlert> Alerts)
{
    /// <summary>Decisions over all models.</summary>
    public long Decisions => Models.Sum(m => m.Summary.Decisions);
}
