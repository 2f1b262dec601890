namespace Lpp.Cli;

/// <summary>Loads all records of the inputs into memory for commands that need them together (train, experiment).</summary>
internal static class RecordLoading
{
    /// <summary>The valid records; rejected lines are written to <paramref name="rejectsPath"/> (or standard error) and counted on standard error.</summary>
    public static List<DecisionRecord> Load(IReadOnlyList<string> inputs, string? rejectsPath, string command)
    {
        var records = new List<DecisionRecord>();
        var summary = new RunSummary(command);
        using var rejects = RejectsWriter.Open(rejectsPath);
        foreach (var result in InputReading.Read(inputs))
        {
            summary.Read++;
            if (result.Record is { } record)
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

        if (summary.Rejected > 0)
        {
            Console.Error.WriteLine($"{command}: read {summary.Read}, used {summary.Written}, rejected {summary.Rejected}{(rejectsPath is null ? " (listed above)" : $" (see {rejectsPath})")}");
        }

        return records;
    }
}
