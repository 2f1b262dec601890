namespace Lpp.Serving.Tests;

/// <summary><c>lpp serve</c>'s store options as a user meets them: the real program in a child process.</summary>
public sealed class ServeCommandTests
{
    [Fact]
    public void Serve_PostgresWithoutAConnection_OneLineNamingWhereItComesFrom()
    {
        // Given no LPP_POSTGRES in the environment, when lpp serve is asked for the PostgreSQL store
        var run = LppProcess.RunWithout(StoreConnection.EnvironmentVariable, "serve", "--model", ServeTestData.ModelA, "--store", "postgres");

        // Then it refuses on one line, exit 2
        LppProcess.AssertUserError(run, "--store postgres needs a connection string: set LPP_POSTGRES or pass --store-connection-file FILE");
    }

    [Fact]
    public void Serve_ConnectionFileMissing_OneLineNamingTheFile()
    {
        // Given a connection file that does not exist
        using var dir = new TempDir();
        var missing = dir.File("no-such-connection");

        // When lpp serve is pointed at it, then it refuses on one line naming the file
        var run = LppProcess.Run("serve", "--model", ServeTestData.ModelA, "--store", "postgres", "--store-connection-file", missing);
        LppProcess.AssertUserError(run, $"--store-connection-file {missing}: cannot read");
    }

    [Fact]
    public void Serve_WrongPasswordInTheConnectionFile_OneLineWithoutThePassword()
    {
        // Given a connection file holding the test server with a wrong password
        var server = PostgresSchemas.Server();
        using var dir = new TempDir();
        var wrong = new Npgsql.NpgsqlConnectionStringBuilder(server) { Password = "wrong-password-5678" };
        var file = dir.Write("connection", wrong + "\n");

        // When lpp serve uses it, then it refuses on one line that does not show the password
        var run = LppProcess.Run("serve", "--model", ServeTestData.ModelA, "--store", "postgres", "--store-connection-file", file, "--urls", "http://127.0.0.1:0");
        LppProcess.AssertUserError(run, $"--store postgres: database {wrong.Database} on {wrong.Host}:{wrong.Port}: ");
        Assert.DoesNotContain("wrong-password-5678", run.StdErr, StringComparison.Ordinal);
    }
}
