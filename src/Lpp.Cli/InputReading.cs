namespace Lpp.Cli;

/// <summary>Reading decision records for a command, turning I/O failures into one-line user errors.</summary>
internal static class InputReading
{
    /// <summary>Every line of every input as a record or a rejection.</summary>
    public static IEnumerable<RecordReadResult> Read(IReadOnlyList<string> paths)
    {
        CheckFormats(paths);
        foreach (var path in paths)
        {
            using var results = Guard(path, () => DecisionRecordReader.Read(path).GetEnumerator());
            while (true)
            {
                bool more;
                try
                {
                    more = results.MoveNext();
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    throw new CliException($"--input {path}: cannot read ({OutputFiles.Describe(e)})");
                }

                if (!more)
                {
                    break;
                }

                yield return results.Current;
            }
        }
    }

    /// <summary>The source attribute keys of all valid records, in order of first appearance (a first pass over the inputs).</summary>
    public static IReadOnlyList<string> SourceKeys(IReadOnlyList<string> paths)
    {
        CheckFormats(paths);
        return Guard(string.Join(", ", paths), () => DecisionRecordReader.SourceKeys(paths));
    }

    /// <summary>Refuses, before any record is read, an input that is clearly not JSON Lines (CSV, Parquet, a JSON array).</summary>
    public static void CheckFormats(IEnumerable<string> paths)
    {
        foreach (var path in paths)
        {
            if (Guard(path, () => RecordFileFormat.Problem(path)) is { } problem)
            {
                throw new CliException($"--input {path}: {problem}");
            }
        }
    }

    private static T Guard<T>(string path, Func<T> action)
    {
        try
        {
            return action();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"--input {path}: cannot read ({OutputFiles.Describe(e)})");
        }
    }
}
