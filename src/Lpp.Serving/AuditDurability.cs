namespace Lpp.Serving;

/// <summary>How hard the SQLite store makes each commit durable.</summary>
public enum AuditDurability
{
    /// <summary><c>synchronous=FULL</c>: every answered decision survives a power cut (the default).</summary>
    Full,

    /// <summary><c>synchronous=NORMAL</c> in WAL mode: survives a killed process; a power cut may lose the last commits.</summary>
    Fast,
}
