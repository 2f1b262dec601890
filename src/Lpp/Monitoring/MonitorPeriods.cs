namespace Lpp;

/// <summary>Names, parsing and arithmetic of <see cref="MonitorPeriod"/>.</summary>
public static class MonitorPeriods
{
    /// <summary>The name on the command line and in monitor.json: <c>hour</c>, <c>day</c>, or null for none.</summary>
    public static string? Name(this MonitorPeriod period) => period switch
    {
        MonitorPeriod.Hour => "hour",
        MonitorPeriod.Day => "day",
        _ => null,
    };

    /// <summary>Parses <c>hour</c> or <c>day</c>.</summary>
    /// <exception cref="FormatException">Any other text.</exception>
    public static MonitorPeriod Parse(string text) => text switch
    {
        "hour" => MonitorPeriod.Hour,
        "day" => MonitorPeriod.Day,
        _ => throw new FormatException($"--by {text}: must be day or hour"),
    };

    /// <summary>Length in milliseconds (0 for <see cref="MonitorPeriod.None"/>).</summary>
    public static long Milliseconds(this MonitorPeriod period) => period switch
    {
        MonitorPeriod.Hour => 3_600_000,
        MonitorPeriod.Day => 86_400_000,
        _ => 0,
    };

    /// <summary>The start (Unix ms, UTC) of the period holding <paramref name="unixMs"/>.</summary>
    public static long StartOf(this MonitorPeriod period, long unixMs)
    {
        var length = period.Milliseconds();
        if (length == 0)
        {
            return long.MinValue;
        }

        var start = unixMs / length * length;
        return start > unixMs ? start - length : start;
    }
}
