namespace Lpp;

/// <summary>How <c>lpp monitor</c> splits its window into periods (UTC calendar days or clock hours), or not at all.</summary>
public enum MonitorPeriod
{
    /// <summary>One summary per model over the whole window.</summary>
    None,

    /// <summary>Also one summary per UTC hour.</summary>
    Hour,

    /// <summary>Also one summary per UTC day.</summary>
    Day,
}
