using System.Net;
using System.Net.Sockets;

namespace Lpp.Cli.Tests;

public sealed class PortInUseTests
{
    [Fact]
    public void Serve_PortInUse_PrintsOneLineNamingTheAddress()
    {
        // Given a loopback port another listener holds
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        using var dir = new TempDir();
        var model = Path.Combine(SharedData.RepositoryRoot, "tests", "Lpp.Tests", "Expected", "gpt-4o-sat-default.model.json");

        // When lpp serve is asked to listen there
        var run = LppProcess.Run("serve", "--model", model, "--db", dir.File("audit.db"), "--urls", $"http://127.0.0.1:{port}");

        // Then it exits 2 with one line on standard error (no Kestrel stack trace before it) naming the address and the cause
        Assert.Equal(2, run.ExitCode);
        var last = Assert.Single(run.StdErr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("lpp: ", last, StringComparison.Ordinal);
        Assert.Contains($"127.0.0.1:{port}", last, StringComparison.Ordinal);
        Assert.Contains("address already in use", last, StringComparison.Ordinal);
    }
}
