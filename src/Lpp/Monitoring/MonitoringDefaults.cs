namespace Lpp;

/// <summary>Defaults of the monitoring statistics, defined once.</summary>
internal static class MonitoringDefaults
{
    /// <value>10 quantile bins per feature and for the score in a training profile.</value>
    public const int Bins = 10;

    /// <value>
    /// 1e-4: the share an empty bin counts as in the population stability index, so that a bin seen on one side only
    /// gives a large but finite term (the convention of credit-scoring practice).
    /// </value>
    public const double EmptyShare = 1e-4;

    /// <value>0.2: a population stability index above it is read as a significant shift (the usual rule of thumb:
    /// below 0.1 stable, 0.1-0.2 moderate, above 0.2 significant).</value>
    public const double MaxPsi = 0.2;
}
