using System.CommandLine;
using Lpp.Serving;

namespace Lpp.Cli.Commands;

/// <summary>
/// <c>--store</c>, <c>--db</c> and <c>--store-connection-file</c>: which audit store a command uses, defined once
/// for <c>lpp serve</c> and the exports. A PostgreSQL connection string never comes from an argument: from the file,
/// or from <c>LPP_POSTGRES</c>.
/// </summary>
internal sealed class StoreOptions
{
    public Option<string> Store { get; } = new Option<string>("--store")
    {
        Description = "Where the audit log, queues and reviews are kept: sqlite (the --db file) or postgres (LPP_POSTGRES or --store-connection-file).",
        DefaultValueFactory = _ => "sqlite",
    }.AcceptOnlyFromAmong("sqlite", "postgres");

    public Option<string> Database { get; } = new("--db")
    {
        Description = "The SQLite audit database (created if missing by lpp serve).",
        DefaultValueFactory = _ => ServeDefaults.Database,
    };

    public Option<string?> ConnectionFile { get; } = new("--store-connection-file")
    {
        Description = "A file holding the PostgreSQL connection string (default: the LPP_POSTGRES environment variable).",
    };

    public IEnumerable<Option> All => [Store, Database, ConnectionFile];

    /// <summary>The store asked for; a PostgreSQL connection is resolved here (file, then environment).</summary>
    public (AuditStoreKind Kind, string DatabasePath, StoreConnection? Connection) Read(ParseResult parse)
    {
        var postgres = parse.GetValue(Store) == "postgres";
        var file = parse.GetValue(ConnectionFile);
        if (!postgres && file is not null)
        {
            throw new CliException("--store-connection-file is for --store postgres");
        }

        var connection = postgres ? StoreConnection.Resolve(file, Environment.GetEnvironmentVariable(StoreConnection.EnvironmentVariable)) : null;
        return (postgres ? AuditStoreKind.Postgres : AuditStoreKind.Sqlite, parse.GetValue(Database)!, connection);
    }
}
