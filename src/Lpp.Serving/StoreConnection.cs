using Npgsql;

namespace Lpp.Serving;

/// <summary>
/// A PostgreSQL connection string, kept out of arguments and logs: it comes from a file or the environment, and its
/// <see cref="ToString"/> names only the database and host, never the password.
/// </summary>
public sealed class StoreConnection
{
    /// <summary>The environment variable read when no connection file is given.</summary>
    public const string EnvironmentVariable = "LPP_POSTGRES";

    private StoreConnection(string value) => Value = value;

    internal string Value { get; }

    /// <summary>
    /// The connection string from <paramref name="file"/> (its first non-empty line) when given, else from
    /// <paramref name="environmentValue"/> (the value of <see cref="EnvironmentVariable"/>).
    /// </summary>
    /// <exception cref="ServeException">The file cannot be read or is empty, or there is no connection string at all.</exception>
    public static StoreConnection Resolve(string? file, string? environmentValue)
    {
        if (file is not null)
        {
            string[] lines;
            try
            {
                lines = File.ReadAllLines(file);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
            {
                throw new ServeException($"--store-connection-file {file}: cannot read ({e.Message})", e);
            }

            var line = lines.Select(l => l.Trim()).FirstOrDefault(l => l.Length > 0)
                ?? throw new ServeException($"--store-connection-file {file}: the file is empty (it should hold a PostgreSQL connection string)");
            return new StoreConnection(line);
        }

        return string.IsNullOrWhiteSpace(environmentValue)
            ? throw new ServeException($"--store postgres needs a connection string: set {EnvironmentVariable} or pass --store-connection-file FILE")
            : new StoreConnection(environmentValue.Trim());
    }

    /// <summary>The database and host, never the password.</summary>
    public override string ToString()
    {
        try
        {
            var parts = new NpgsqlConnectionStringBuilder(Value);
            return $"database {parts.Database ?? "(default)"} on {parts.Host}:{parts.Port}";
        }
        catch (ArgumentException)
        {
            return "the database";
        }
    }
}
