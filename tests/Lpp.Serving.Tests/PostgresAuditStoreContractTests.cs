namespace Lpp.Serving.Tests;

/// <summary>The store contract on PostgreSQL: one fresh schema per store name, dropped after each test.</summary>
public sealed class PostgresAuditStoreContractTests : AuditStoreContract, IDisposable
{
    private readonly PostgresSchemas _schemas = new();
    private readonly Dictionary<string, string> _stores = new(StringComparer.Ordinal);

    public void Dispose() => _schemas.Dispose();

    private protected override AuditStoreKind Kind => AuditStoreKind.Postgres;

    private protected override string Database(string name) => _stores[name];

    private protected override async Task<IAuditStore> OpenAsync(string name)
    {
        if (!_stores.TryGetValue(name, out var connection))
        {
            connection = _schemas.Create();
            _stores[name] = connection;
        }

        return await PostgresAuditStore.OpenAsync(connection);
    }
}
