using System.Diagnostics;

namespace Lpp.Serving.Tests;

/// <summary>
/// <c>lpp serve</c> as a child process (the built Lpp.Cli.dll, as a user runs it), on a loopback port it picks itself;
/// started once it prints where it listens. Disposing kills it (SIGKILL) if it still runs.
/// </summary>
internal sealed class ServeProcess : IDisposable
{
    private readonly System.Text.StringBuilder _log = new();

    private ServeProcess(Process process) => Process = process;

    public Process Process { get; }

    public string Url { get; private set; } = string.Empty;

    /// <summary>What it wrote to standard error so far.</summary>
    public string Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    /// <summary>Starts <c>lpp serve --urls http://127.0.0.1:0</c> with <paramref name="arguments"/>; waits up to 2 minutes (a busy machine) for it to listen.</summary>
    public static async Task<ServeProcess> StartAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { Path.Combine(AppContext.BaseDirectory, "Lpp.Cli.dll"), "serve", "--urls", "http://127.0.0.1:0" }.Concat(arguments))
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment.Remove("LPP_POSTGRES");
        var served = new ServeProcess(Process.Start(start)!);
        var listening = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        served.Process.ErrorDataReceived += (_, e) =>
        {
            lock (served._log)
            {
                served._log.AppendLine(e.Data);
            }

            if (e.Data?.StartsWith("serve: listening on ", StringComparison.Ordinal) == true)
            {
                listening.TrySetResult(e.Data["serve: listening on ".Length..].Split(' ')[0]);
            }
        };
        served.Process.Exited += (_, _) => listening.TrySetException(new InvalidOperationException("lpp serve exited: " + served.Log));
        served.Process.EnableRaisingEvents = true;
        served.Process.BeginErrorReadLine();
        served.Process.BeginOutputReadLine();
        try
        {
            served.Url = await listening.Task.WaitAsync(TimeSpan.FromMinutes(2), TestContext.Current.CancellationToken);
        }
        catch
        {
            served.Dispose();
            throw;
        }

        return served;
    }

    /// <summary>Kills it with SIGKILL (no shutdown, no draining) and waits until it is gone.</summary>
    public async Task KillAsync()
    {
        if (!Process.HasExited)
        {
            Process.Kill();
        }

        await Process.WaitForExitAsync(CancellationToken.None);
    }

    public void Dispose()
    {
        try
        {
            if (!Process.HasExited)
            {
                Process.Kill();
                Process.WaitForExit(TimeSpan.FromSeconds(30));
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }

        Process.Dispose();
    }
}
