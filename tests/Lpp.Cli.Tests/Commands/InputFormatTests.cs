namespace Lpp.Cli.Tests;

/// <summary>A file that is not JSON Lines is named as such before any record is read; a run that rejects every line fails.</summary>
public sealed class InputFormatTests
{
    private static string Moderation => Path.Combine(SharedData.RepositoryRoot, "examples", "moderation.jsonl");

    private static string PinnedModel => Path.Combine(SharedData.RepositoryRoot, "tests", "Lpp.Tests", "Expected", "gpt-4o-sat-default.model.json");

    [Fact]
    public void Route_CsvInput_IsNamedAsCsv()
    {
        using var dir = new TempDir();
        var csv = dir.Write("records.csv", "id,outcome,truth\n1,0,1\n2,1,1\n");

        var run = LppProcess.Run("route", "--model", PinnedModel, "--input", csv, "--output", dir.File("out.jsonl"));

        LppProcess.AssertUserError(run, $"--input {csv}: looks like CSV (first line: id,outcome,truth), not JSON Lines");
        Assert.False(File.Exists(dir.File("out.jsonl")));
    }

    [Fact]
    public void Features_JsonArrayInput_IsNamedAsAJsonArray()
    {
        using var dir = new TempDir();
        var array = dir.Write("records.json", "[\n" + string.Join(",\n", File.ReadLines(Moderation).Where(l => l.Length > 0)) + "\n]\n");

        var run = LppProcess.Run("features", "--input", array, "--output", dir.File("out.csv"));

        LppProcess.AssertUserError(run, $"--input {array}: is a JSON array, not JSON Lines");
    }

    [Fact]
    public void Train_ParquetInput_IsNamedAsParquet()
    {
        // Given the features table of the example, written as Parquet by lpp itself
        using var dir = new TempDir();
        var parquet = dir.File("features.parquet");
        Assert.Equal(0, LppProcess.Run("features", "--input", Moderation, "--output", parquet).ExitCode);

        // When it is given to train as records
        var run = LppProcess.Run("train", "--input", parquet, "--output", dir.File("model.json"));

        // Then it is named as Parquet
        LppProcess.AssertUserError(run, $"--input {parquet}: is a Parquet file, not JSON Lines");
    }

    [Fact]
    public void Features_EveryLineRejected_ExitsOneWithoutStrict()
    {
        // Given JSON Lines none of which is a valid record
        using var dir = new TempDir();
        var input = dir.Write("bad.jsonl", "{\"id\": \"a\"}\n{\"id\": \"b\"}\n");

        // When features are computed without --strict
        var run = LppProcess.Run("features", "--input", input, "--output", dir.File("out.csv"), "--rejects", dir.File("bad-lines.jsonl"));

        // Then the run fails with code 1 and says so
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("features: read 2, written 0, rejected 2", run.StdErr, StringComparison.Ordinal);
        Assert.Contains("features: every line was rejected", run.StdErr, StringComparison.Ordinal);
        Assert.Equal(2, File.ReadAllLines(dir.File("bad-lines.jsonl")).Length);
    }
}
