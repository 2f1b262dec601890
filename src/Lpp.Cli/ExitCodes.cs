namespace Lpp.Cli;

/// <summary>Process exit codes shared by every command.</summary>
internal static class ExitCodes
{
    /// <summary>The run completed.</summary>
    public const int Ok = 0;

    /// <summary>With --strict: the run completed but some records were rejected; without it: every record was rejected.</summary>
    public const int Rejected = 1;

    /// <summary>lpp infer: some pairs ended without an answer (failed calls; see the summary).</summary>
    public const int NoAnswer = 1;

    /// <summary>lpp monitor --strict: some monitoring threshold was crossed (see the alerts).</summary>
    public const int Alerts = 1;

    /// <summary>Unusable arguments or an unreadable input.</summary>
    public const int Usage = 2;

    /// <summary>Stopped by SIGINT (Ctrl-C) or SIGTERM; nothing half-written was left in place (128 + SIGINT, as shells report).</summary>
    public const int Interrupted = 130;
}
