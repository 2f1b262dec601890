namespace Lpp;

/// <summary>A monitoring threshold crossed.</summary>
/// <param name="Model">The model's checksum.</param>
/// <param name="What">What crossed it, in plain words.</param>
/// <param name="Value">The value measured.</param>
/// <param name="Threshold">The threshold it crossed.</param>
public sealed record MonitorAlert(string Model, string What, double Value, double Threshold);
