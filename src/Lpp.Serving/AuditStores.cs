namespace Lpp.Serving;

/// <summary>Opens the audit store an option names.</summary>
internal static class AuditStores
{
    /// <summary>Opens the SQLite file at <paramref name="databasePath"/> or the PostgreSQL database of <paramref name="connection"/> for writing.</summary>
    /// <exception cref="ServeException">The store cannot be opened.</exception>
    public static async Task<IAuditStore> OpenAsync(AuditStoreKind kind, string databasePath, StoreConnection? connection, ServeMetrics? metrics, AuditDurability durability = AuditDurability.Full)
    {
        if (kind == AuditStoreKind.Postgres)
        {
            return await PostgresAuditStore.OpenAsync(connection ?? throw new ServeException($"--store postgres needs a connection string: set {StoreConnection.EnvironmentVariable} or pass --store-connection-file FILE"), metrics).ConfigureAwait(false);
        }

        return SqliteAuditStore.Open(databasePath, metrics, durability);
    }

    /// <summary>Opens a store for reading (exports): the SQLite file must exist.</summary>
    /// <exception cref="ServeException">The store cannot be opened.</exception>
    public static async Task<IAuditStore> OpenForReadingAsync(AuditStoreKind kind, string databasePath, StoreConnection? connection) =>
        kind == AuditStoreKind.Postgres ? await OpenAsync(kind, databasePath, connection, null).ConfigureAwait(false) : SqliteAuditStore.OpenReadOnly(databasePath);
}
