namespace Lpp.Cli;

/// <summary>Counts of a streaming run (read = written + rejected + left out without an answer), printed to standard error at the end.</summary>
internal sealed class RunSummary(string command)
{
    public long Read { get; set; }

    public long Written { get; set; }

    public long Rejected { get; set; }

    /// <summary>Valid records left out because they hold no answer of the LLM's (<see cref="DecisionRecord.NoAnswer"/>).</summary>
    public long NoAnswer { get; set; }

    public void Print(string output, string? rejects)
    {
        var where = Rejected == 0 ? string.Empty : rejects is null ? " (listed above)" : $" (see {rejects})";
        var noAnswer = NoAnswer == 0 ? string.Empty : $", left out without an answer {NoAnswer}";
        Console.Error.WriteLine($"{command}: read {Read}, written {Written}, rejected {Rejected}{where}{noAnswer} -> {output}");
        if (Read == 0)
        {
            Console.Error.WriteLine($"{command}: warning: the input held no records");
        }
        else if (Written == 0)
        {
            Console.Error.WriteLine($"{command}: every line was rejected: nothing usable in the input (exit code 1)");
        }
    }

    /// <summary>1 when every line read was rejected (nothing usable: most likely the wrong file), or with --strict when any was; else 0.</summary>
    public int ExitCode(bool strict) => (strict && Rejected > 0) || (Read > 0 && Written == 0) ? ExitCodes.Rejected : ExitCodes.Ok;
}
