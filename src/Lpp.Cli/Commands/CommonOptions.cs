using System.CommandLine;

namespace Lpp.Cli.Commands;

/// <summary>Options several commands share, defined once so that their names and help read the same everywhere.</summary>
internal static class CommonOptions
{
    public static Option<string[]> Inputs() => new("--input")
    {
        Description = "Decision records, JSON Lines (.jsonl or .jsonl.gz); repeat for several files.",
        AllowMultipleArgumentsPerToken = false,
    };

    public static Option<string?> Rejects() => new("--rejects")
    {
        Description = "Write rejected lines here as JSON Lines {file, line, reason, text} (default: standard error).",
    };

    public static Option<bool> Strict() => new("--strict")
    {
        Description = "Exit with code 1 when any line was rejected.",
    };
}
