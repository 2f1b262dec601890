namespace Lpp.Cli.Tests;

public sealed class DemoCommandTests
{
    [Fact]
    public void Demo_SmallRun_WritesTheReportAndSaysItIsSimulated()
    {
        // Given an empty folder
        using var dir = new TempDir();
        var output = Path.Combine(dir.Path, "demo");

        // When the demo runs on a small simulated workload
        var run = LppProcess.Run("demo", "--n", "2000", "--output", output);

        // Then it prints a verdict and the method table, and writes a complete report labelled as simulated
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("the meta-model escalates", run.StdOut, StringComparison.Ordinal);
        Assert.Matches(@"(?m)^meta_model\s+-?\d+\.\d\s+0\.\d{3}\s+\d+\.\d%$", run.StdOut);
        Assert.Contains("Simulated data throughout", run.StdOut, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(output, "report.html")));
        var markdown = File.ReadAllText(Path.Combine(output, "report.md"));
        Assert.Contains("**Simulated data.**", markdown, StringComparison.Ordinal);
        Assert.Contains("simulated-llm", markdown, StringComparison.Ordinal);
    }

    [Fact]
    public void Demo_TooFewItems_IsAOneLineUserError()
    {
        var run = LppProcess.Run("demo", "--n", "10", "--output", Path.Combine(Path.GetTempPath(), "lpp-demo-unused"));

        LppProcess.AssertUserError(run, "--n 10: the demo needs at least 1000 items");
    }
}
