namespace Lpp;

/// <summary>What <c>lpp monitor</c> summarises and which thresholds raise alerts.</summary>
public sealed record MonitorOptions
{
    /// <value>Also summarise per UTC hour or day; default <see cref="MonitorPeriod.None"/>.</value>
    public MonitorPeriod By { get; init; } = MonitorPeriod.None;

    /// <value>A population stability index above it (score or any feature) is an alert; default <see cref="MonitoringDefaults.MaxPsi"/>.</value>
    public double MaxPsi { get; init; } = MonitoringDefaults.MaxPsi;

    /// <value>An estimated error rate among trusted decisions above it is an alert; default null (no such alert).</value>
    public double? MaxTrustedError { get; init; }

    /// <summary>Throws naming the option and its allowed range when a value is out of range.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public void Validate()
    {
        if (!(MaxPsi > 0) || !double.IsFinite(MaxPsi))
        {
            throw new ArgumentOutOfRangeException(nameof(MaxPsi), MaxPsi, FormattableString.Invariant($"--max-psi must be a number above 0 (got {MaxPsi})"));
        }

        if (MaxTrustedError is { } e && !(e > 0 && e < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(MaxTrustedError), e, FormattableString.Invariant($"--max-trusted-error must be a number between 0 and 1 (got {e})"));
        }
    }
}
