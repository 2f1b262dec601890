namespace Lpp.Serving;

/// <summary>Where the audit log, queues and reviews are kept.</summary>
public enum AuditStoreKind
{
    /// <summary>A SQLite file (<c>--db</c>): embedded, one server per file.</summary>
    Sqlite,

    /// <summary>A PostgreSQL database (<c>LPP_POSTGRES</c> or <c>--store-connection-file</c>): shared by many replicas.</summary>
    Postgres,
}
