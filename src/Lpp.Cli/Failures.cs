namespace Lpp.Cli;

/// <summary>
/// The last line of defence: any exception a command did not turn into a <see cref="CliException"/> becomes one line on
/// standard error (the full details only with --verbose), never a raw stack trace on a default run.
/// </summary>
internal static class Failures
{
    /// <summary>The line printed for <paramref name="e"/>, thrown by <paramref name="command"/>.</summary>
    public static string Describe(Exception e, string command, bool verbose)
    {
        if (e is IOException or UnauthorizedAccessException)
        {
            // An environment failure no command foresaw: its message names the path or address.
            return verbose ? $"lpp: {e}" : $"lpp: {command}: {OneLine(e.Message)} (details in --verbose)";
        }

        return verbose
            ? $"lpp: unexpected failure in {command}: {e}"
            : $"lpp: unexpected failure in {command}: {e.GetType().Name}: {OneLine(e.Message)} (details in --verbose)";
    }

    private static string OneLine(string text) => text.ReplaceLineEndings(" ").Trim();
}
