namespace Lpp.Cli.Tests;

/// <summary>No command loses a file: outputs are refused when they are inputs, and replace the old file only when complete.</summary>
public sealed class OutputSafetyTests
{
    private static string Moderation => Path.Combine(SharedData.RepositoryRoot, "examples", "moderation.jsonl");

    private static string PinnedModel => Path.Combine(SharedData.RepositoryRoot, "tests", "Lpp.Tests", "Expected", "gpt-4o-sat-default.model.json");

    [Fact]
    public void Route_OutputIsTheInput_IsRefusedAndTheInputKept()
    {
        // Given an input file
        using var dir = new TempDir();
        var input = dir.Write("test.jsonl", File.ReadAllText(Moderation));

        // When it is given as the output too
        var run = LppProcess.Run("route", "--model", PinnedModel, "--input", input, "--output", input);

        // Then the run is refused before anything is written, and the input is untouched
        LppProcess.AssertUserError(run, $"--output {input} is the same file as --input {input}: writing it would destroy the input");
        Assert.Equal(File.ReadAllText(Moderation), File.ReadAllText(input));
    }

    [Fact]
    public void Features_OutputIsAHardLinkOfTheInput_IsRefusedByInode()
    {
        // Given an input and a hard link to it under another name
        using var dir = new TempDir();
        var input = dir.Write("in.jsonl", File.ReadAllText(Moderation));
        var link = dir.File("link.csv");
        var ln = System.Diagnostics.Process.Start("ln", [input, link]);
        ln.WaitForExit();
        Assert.Equal(0, ln.ExitCode);

        // When the link is the output
        var run = LppProcess.Run("features", "--input", input, "--output", link);

        // Then it is recognised as the same file
        LppProcess.AssertUserError(run, $"--output {link} is the same file as --input {input}");
        Assert.Equal(File.ReadAllText(Moderation), File.ReadAllText(input));
    }

    [Fact]
    public void Train_OutputIsASymbolicLinkToTheInput_IsRefused()
    {
        using var dir = new TempDir();
        var input = dir.Write("in.jsonl", File.ReadAllText(Moderation));
        var link = dir.File("model.json");
        File.CreateSymbolicLink(link, input);

        var run = LppProcess.Run("train", "--input", input, "--output", link);

        LppProcess.AssertUserError(run, $"--output {link} is the same file as --input {input}");
        Assert.Equal(File.ReadAllText(Moderation), File.ReadAllText(input));
    }

    [Fact]
    public void Route_RejectsFileIsTheOutput_IsRefused()
    {
        using var dir = new TempDir();
        var output = dir.File("out.jsonl");

        var run = LppProcess.Run("route", "--model", PinnedModel, "--input", Moderation, "--output", output, "--rejects", output);

        LppProcess.AssertUserError(run, $"--rejects {output} is the same file as --output {output}");
        Assert.False(File.Exists(output));
    }

    [Fact]
    public void Route_FullDisk_IsOneLineAndTheOldOutputStays()
    {
        // Given /dev/full, a device whose every write fails with "no space left on device"
        // When route writes to it
        var run = LppProcess.Run("route", "--model", PinnedModel, "--input", Moderation, "--output", "/dev/full", "--allow-shape-mismatch");

        // Then one line names the option, the path and the cause
        LppProcess.AssertUserError(run, "--output /dev/full: cannot write (no space left on device)");
    }

    [Fact]
    public void Simulate_FullDisk_IsOneLine()
    {
        var run = LppProcess.Run("simulate", "--n", "20000", "--output", "/dev/full");

        LppProcess.AssertUserError(run, "--output /dev/full: cannot write (no space left on device)");
    }

    [Fact]
    public void Route_FolderAsOutput_IsOneLine()
    {
        using var dir = new TempDir();

        var run = LppProcess.Run("route", "--model", PinnedModel, "--input", Moderation, "--output", dir.Path);

        LppProcess.AssertUserError(run, $"--output {dir.Path}: is a folder, not a file");
    }

    [Fact]
    public void Features_PermissionDenied_IsOneLine()
    {
        // /sys refuses new files even to root, so this holds under any user
        var run = LppProcess.Run("features", "--input", Moderation, "--output", "/sys/lpp-test.csv");

        LppProcess.AssertUserError(run, "--output /sys/lpp-test.csv: cannot write (");
    }

    [Fact]
    public void Route_VanishedInput_IsOneLine()
    {
        // Given an input that is a link to a file that was deleted
        using var dir = new TempDir();
        var gone = dir.File("gone.jsonl");
        var link = dir.File("in.jsonl");
        File.CreateSymbolicLink(link, gone);

        var run = LppProcess.Run("route", "--model", PinnedModel, "--input", link, "--output", dir.File("out.jsonl"));

        LppProcess.AssertUserError(run, $"--input {link}: cannot read (no such file or folder)");
    }

    [Fact]
    public void Route_FailedRun_LeavesTheOldOutputAndNoTemporaryFile()
    {
        // Given an output from an earlier run
        using var dir = new TempDir();
        var output = dir.Write("out.jsonl", "earlier run\n");

        // When a run fails after opening its output (the second input is a JSON array, found once the output is open)
        var run = LppProcess.Run("route", "--model", PinnedModel, "--input", Moderation, "--input", dir.Write("bad.jsonl", "[1, 2]"), "--output", output);

        // Then the old output is intact and nothing else is left in the folder
        Assert.Equal(2, run.ExitCode);
        Assert.Equal("earlier run\n", File.ReadAllText(output));
        Assert.Equal(["bad.jsonl", "out.jsonl"], Directory.GetFiles(dir.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public void Route_CompletedRun_ReplacesTheOutputKeepingItsPermissions()
    {
        // Given an earlier output that only its owner may read
        using var dir = new TempDir();
        var output = dir.Write("out.jsonl", "earlier run\n");
        File.SetUnixFileMode(output, UnixFileMode.UserRead | UnixFileMode.UserWrite);

        // When a run completes
        var run = LppProcess.Run("route", "--model", PinnedModel, "--input", Moderation, "--output", output, "--allow-shape-mismatch");

        // Then the output holds the new decisions, keeps its mode, and no temporary file is left
        Assert.Equal(0, run.ExitCode);
        Assert.Equal(File.ReadLines(Moderation).Count(l => l.Length > 0), File.ReadAllLines(output).Length);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(output));
        Assert.Single(Directory.GetFiles(dir.Path));
    }

    [Fact]
    public void Experiment_ReusedFolder_HoldsOnlyTheNewRunsFilesAndTheUsersOwn()
    {
        // Given a folder holding an earlier report's plot (listed in its .lpp-report), a file of the user's own and a killed run's staging folder
        using var dir = new TempDir();
        var folder = dir.File("report");
        Directory.CreateDirectory(Path.Combine(folder, ".lpp-partial-0123"));
        File.WriteAllText(Path.Combine(folder, "old-dataset-roc.png"), "old plot");
        File.WriteAllText(Path.Combine(folder, ".lpp-report"), "old-dataset-roc.png\nreport.md\n");
        File.WriteAllText(Path.Combine(folder, "notes.txt"), "mine");

        // When a new report is written into it
        var run = LppProcess.Run("demo", "--n", "2000", "--output", folder);

        // Then the old plot and the abandoned staging folder are gone, the user's file stays, the new report is there
        Assert.Equal(0, run.ExitCode);
        Assert.False(File.Exists(Path.Combine(folder, "old-dataset-roc.png")));
        Assert.Empty(Directory.GetDirectories(folder));
        Assert.Equal("mine", File.ReadAllText(Path.Combine(folder, "notes.txt")));
        Assert.True(File.Exists(Path.Combine(folder, "report.html")));
        var listed = File.ReadAllLines(Path.Combine(folder, ".lpp-report"));
        Assert.Equal(Directory.GetFiles(folder).Select(Path.GetFileName).Where(n => n is not (".lpp-report" or "notes.txt")).Order(StringComparer.Ordinal), listed.Order(StringComparer.Ordinal));
    }
}
