namespace Lpp.Serving.Tests;

/// <summary>The store contract on SQLite: one database file per store name, in a folder per test class instance.</summary>
public sealed class SqliteAuditStoreContractTests : AuditStoreContract, IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private protected override AuditStoreKind Kind => AuditStoreKind.Sqlite;

    private protected override string Database(string name) => _dir.File(name + ".db");

    private protected override Task<IAuditStore> OpenAsync(string name) => Task.FromResult<IAuditStore>(SqliteAuditStore.Open(_dir.File(name + ".db")));
}
