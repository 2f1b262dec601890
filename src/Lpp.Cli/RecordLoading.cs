namespace Lpp.Cli;

/// <summary>Loads all records of the inputs into memory for commands that need them together (train, experiment).</summary>
internal static class RecordLoading
{
    /// <summary>
    /// The valid records with an answer; rejected lines are written to <paramref name="rejectsPath"/> (or standard
    /// error) and counted on standard error, and records without an answer (a failed call: <see cref="DecisionRecord.NoAnswer"/>)
    /// are left out and counted apart from invalid answers, which stay (an invalid answer is the LLM's).
    /// </summary>
    public static List<DecisionRecord> Load(IReadOnlyList<string> inputs, string? rejectsPath, string command)
    {
        var records = new List<DecisionRecord>();
        var summary = new RunSummary(command);
        using var rejects = RejectsWriter.Open(rejectsPath);
        foreach (var result in InputReading.Read(inputs))
        {
            summary.Read++;
            if (result.Record is { NoAnswer: not null })
            {
                summary.NoAnswer++;
            }
            else if (result.Record is { } record)
            {
                records.Add(record);
                summary.Written++;
            }
            else
            {
                rejects.Write(result.Rejection!);
                summary.Rejected++;
            }
        }

        if (summary.Rejected > 0 || summary.NoAnswer > 0)
        {
            var rejected = summary.Rejected == 0 ? string.Empty : $", rejected {summary.Rejected}{(rejectsPath is null ? " (listed above)" : $" (see {rejectsPath})")}";
            var noAnswer = summary.NoAnswer == 0 ? string.Empty : $", left out without an answer (failed calls) {summary.NoAnswer}";
            Console.Error.WriteLine($"{command}: read {summary.Read}, used {summary.Written}{rejected}{noAnswer}");
        }

        return records;
    }
}
