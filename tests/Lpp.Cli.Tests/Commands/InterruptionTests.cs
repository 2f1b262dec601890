using System.Runtime.InteropServices;

namespace Lpp.Cli.Tests;

/// <summary>SIGINT and SIGTERM stop a command cleanly: one line, exit 130, nothing half-written left in place.</summary>
public sealed class InterruptionTests
{
    private const int SigInt = 2;
    private const int SigTerm = 15;

    [Fact]
    public async Task Demo_Sigint_LeavesTheOldReportAndNoStagingFolder()
    {
        // Given a folder holding an earlier report
        using var dir = new TempDir();
        var folder = dir.File("report");
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "report.html"), "earlier report");

        // When a demo writing into it is interrupted with Ctrl-C once its staging folder exists
        using var process = LppProcess.Start(dir.Path, "demo", "--n", "200000", "--output", folder);
        var stdout = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        var started = LppProcess.WaitUntil(() => Directory.GetDirectories(folder, ".lpp-partial-*").Length > 0, TimeSpan.FromMinutes(2));
        Assert.Equal(0, Kill(process.Id, SigInt));
        Assert.True(process.WaitForExit(TimeSpan.FromMinutes(1)), "lpp did not stop after SIGINT");

        // Then it says so in one line, exits 130, and the folder is as it was
        Assert.True(started, "the demo never created its staging folder");
        await stdout;
        Assert.Equal(130, process.ExitCode);
        Assert.Equal("lpp: interrupted", (await stderr).Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1]);
        Assert.Empty(Directory.GetDirectories(folder));
        Assert.Equal(["report.html"], Directory.GetFiles(folder).Select(Path.GetFileName));
        Assert.Equal("earlier report", File.ReadAllText(Path.Combine(folder, "report.html")));
    }

    [Fact]
    public async Task Simulate_Sigterm_LeavesTheOldOutputAndNoTemporaryFile()
    {
        // Given an output from an earlier run
        using var dir = new TempDir();
        var output = dir.Write("out.jsonl", "earlier run\n");

        // When a long simulation into it gets SIGTERM while its temporary file is being written
        using var process = LppProcess.Start(dir.Path, "simulate", "--n", "50000000", "--output", output);
        var stdout = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        var started = LppProcess.WaitUntil(() => Directory.GetFiles(dir.Path, "*.lpp-tmp").Length > 0, TimeSpan.FromMinutes(1));
        Assert.Equal(0, Kill(process.Id, SigTerm));
        Assert.True(process.WaitForExit(TimeSpan.FromMinutes(1)), "lpp did not stop after SIGTERM");

        // Then: one line, exit 130, the old output intact and no temporary file
        Assert.True(started, "the simulation never opened its temporary file");
        await stdout;
        Assert.Equal(130, process.ExitCode);
        Assert.Equal("lpp: interrupted", (await stderr).Trim());
        Assert.Equal("earlier run\n", File.ReadAllText(output));
        Assert.Equal([output], Directory.GetFiles(dir.Path));
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
