namespace Lpp.Cli;

/// <summary>A user error (unusable argument, unreadable input): printed as one line, exit code 2, no stack trace.</summary>
internal sealed class CliException(string message) : Exception(message);
