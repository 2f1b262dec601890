using System.Diagnostics;

namespace Lpp.Cli.Tests;

/// <summary>
/// Runs the real <c>lpp</c> program in a child process, as a user would: the built Lpp.Cli.dll, or the executable named
/// by the environment variable <c>LPP_EXECUTABLE</c> (e.g. a Native AOT publish, to run these tests against it).
/// </summary>
public static class LppProcess
{
    private static readonly string? Executable = Environment.GetEnvironmentVariable("LPP_EXECUTABLE") is { Length: > 0 } path ? Path.GetFullPath(path) : null;

    public sealed record Result(int ExitCode, string StdOut, string StdErr);

    public static Result Run(params string[] args) => RunIn(SharedData.RepositoryRoot, args);

    /// <summary>Runs with <paramref name="variable"/> removed from the child's environment.</summary>
    public static Result RunWithout(string variable, params string[] args) => RunIn(SharedData.RepositoryRoot, args, variable);

    public static Result RunIn(string workingDirectory, string[] args, string? removeVariable = null)
    {
        var start = StartInfo(workingDirectory);
        if (removeVariable is not null)
        {
            start.Environment.Remove(removeVariable);
        }

        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(3)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("lpp " + string.Join(' ', args) + " did not finish in 3 minutes");
        }

        return new Result(process.ExitCode, stdout.Result, stderr.Result);
    }

    /// <summary>
    /// Starts the program without waiting (for tests that signal it); standard output and error are redirected. SIGINT
    /// and SIGTERM are reset to their default disposition for it (coreutils' <c>env --default-signal</c>, which then
    /// runs the program under the same process id): a program inherits ignored signals, and a non-interactive shell
    /// starts its background jobs with SIGINT ignored, so a suite run as <c>bash .ci/run &amp;</c> would otherwise start
    /// an lpp that never sees the SIGINT these tests send.
    /// </summary>
    public static Process Start(string workingDirectory, params string[] args)
    {
        var program = StartInfo(workingDirectory);
        var start = new ProcessStartInfo("env")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("--default-signal=INT,TERM");
        start.ArgumentList.Add(program.FileName);
        foreach (var arg in program.ArgumentList.Concat(args))
        {
            start.ArgumentList.Add(arg);
        }

        return Process.Start(start)!;
    }

    private static ProcessStartInfo StartInfo(string workingDirectory)
    {
        var start = new ProcessStartInfo(Executable ?? "dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (Executable is null)
        {
            start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Lpp.Cli.dll"));
        }

        return start;
    }

    /// <summary>Polls (every 20 ms, at most <paramref name="limit"/>) until <paramref name="condition"/> holds; false when it never did.</summary>
    public static bool WaitUntil(Func<bool> condition, TimeSpan limit)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < limit)
        {
            if (condition())
            {
                return true;
            }

            Thread.Sleep(20);
        }

        return condition();
    }

    /// <summary>Asserts the run failed as a user error: exit 2 and one line on standard error, no stack trace.</summary>
    public static void AssertUserError(Result result, string expectedFragment)
    {
        Assert.Equal(2, result.ExitCode);
        var lines = result.StdErr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length == 1, "expected one line, got:\n" + result.StdErr);
        Assert.Contains(expectedFragment, lines[0], StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.StdErr, StringComparison.Ordinal);
    }
}
