using System.Text.Json;
using Parquet;

namespace Lpp.Cli.Tests;

public sealed class FeaturesCommandTests
{
    private static string Example => Path.Combine(SharedData.RepositoryRoot, "examples", "moderation.jsonl");

    [Fact]
    public void Features_Example_WritesOneRowPerRecordInTheContractOrder()
    {
        // Given the shipped example
        using var dir = new TempDir();
        var output = dir.File("features.csv");

        // When features are computed
        var run = LppProcess.Run("features", "--input", Example, "--output", output);

        // Then the CSV has the contract header, one row per record, and the summary adds up
        Assert.Equal(0, run.ExitCode);
        var lines = File.ReadAllLines(output);
        var header = lines[0].Split(',');
        Assert.Equal(["id", "outcome", "truth", "correct", "source.concept", "source.model", "source.provider", "source.language"], header[..8]);
        Assert.Equal(FeatureSchema.Names, header[8..]);
        Assert.Equal(9, lines.Length);
        Assert.StartsWith("post-001/H,1,1,1,H,gpt-4o-mini,openai,en,", lines[1], StringComparison.Ordinal);
        Assert.Contains("features: read 8, written 8, rejected 0", run.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public void Features_BadLines_AreReportedAndNothingIsLost()
    {
        // Given a file with 3 good records and 3 bad lines
        using var dir = new TempDir();
        var good = File.ReadLines(Example).Take(3).ToList();
        var input = dir.Write("in.jsonl", string.Join('\n', good[0], "{\"id\": \"x\"", good[1], "{\"id\": \"y\", \"labels\": []}", good[2], good[2]) + "\n");
        var output = dir.File("out.csv");
        var rejects = dir.File("bad.jsonl");

        // When features are computed with a rejects file
        var run = LppProcess.Run("features", "--input", input, "--output", output, "--rejects", rejects);
        var strict = LppProcess.Run("features", "--input", input, "--output", output, "--rejects", rejects, "--strict");

        // Then read = written + rejected, every rejection names file, line and reason, and --strict exits 1
        Assert.Equal(0, run.ExitCode);
        Assert.Equal(1, strict.ExitCode);
        Assert.Contains("read 6, written 3, rejected 3", run.StdErr, StringComparison.Ordinal);
        Assert.Equal(4, File.ReadAllLines(output).Length);
        var rows = File.ReadAllLines(rejects).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal([2, 4, 6], rows.Select(r => r.GetProperty("line").GetInt32()));
        Assert.All(rows, r => Assert.Equal(input, r.GetProperty("file").GetString()));
        Assert.Equal("labels must not be empty", rows[1].GetProperty("reason").GetString());
        Assert.StartsWith("duplicate id 'post-003/V'", rows[2].GetProperty("reason").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Features_Parquet_HoldsTheSameTable()
    {
        // Given the example written as Parquet
        using var dir = new TempDir();
        var output = dir.File("features.parquet");

        // When it is written and read back
        var run = LppProcess.Run("features", "--input", Example, "--output", output);
        await using var reader = await ParquetReader.CreateAsync(output, cancellationToken: TestContext.Current.CancellationToken);

        // Then it has the same columns and rows, with nulls for missing values
        Assert.Equal(0, run.ExitCode);
        var fields = reader.Schema.GetDataFields();
        Assert.Equal(FeatureSchema.Names, fields[8..].Select(f => f.Name));
        using var group = reader.OpenRowGroupReader(0);
        var ids = new string?[8];
        await group.ReadAsync(fields[0], ids.AsMemory(), cancellationToken: TestContext.Current.CancellationToken);
        var msp = new double?[8];
        await group.ReadAsync(fields[8 + FeatureSchema.IndexOf("topk_msp")], msp.AsMemory(), cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal("post-005/S", ids[4]);
        Assert.Null(msp[4]);
        Assert.Equal(Math.Exp(-0.0003) / (Math.Exp(-0.0003) + Math.Exp(-8.4) + Math.Exp(-10.1) + Math.Exp(-12.5)), msp[0]!.Value, 1e-12);
    }

    [Fact]
    public void Features_RecordsWithoutAnAnswer_AreLeftOutAndCountedApart()
    {
        // Given two answered records, one failed call (transport) and one invalid answer (the LLM's, kept)
        using var dir = new TempDir();
        var good = File.ReadLines(Example).Take(2).ToList();
        const string failed = """{"id":"f/H","labels":["0","1"],"abstain_labels":{"2":"evidence","3":"definition"},"output":{"outcome":null,"raw_answer":null},"truth":"0","error":"cannot reach api.openai.com: name not resolved","error_kind":"transport","response":null}""";
        const string invalid = """{"id":"i/H","labels":["0","1"],"abstain_labels":{"2":"evidence","3":"definition"},"output":{"outcome":null,"raw_answer":"{\"outcome\": 9}"},"truth":"0","error":"invalid answer after 3 retries: outcome 9","error_kind":"invalid","response":null}""";
        var input = dir.Write("in.jsonl", string.Join('\n', good[0], failed, good[1], invalid) + "\n");
        var output = dir.File("out.csv");

        // When features are computed
        var run = LppProcess.Run("features", "--input", input, "--output", output);

        // Then the failed call is not a row (it is no evidence about the LLM) and is counted apart
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("read 4, written 3, rejected 0, left out without an answer 1", run.StdErr, StringComparison.Ordinal);
        Assert.Equal(4, File.ReadAllLines(output).Length);
        Assert.DoesNotContain(File.ReadAllLines(output), l => l.StartsWith("f/H", StringComparison.Ordinal));
    }

    [Fact]
    public void Features_List_PrintsEveryFeatureWithItsFamily()
    {
        var run = LppProcess.Run("features", "--list");

        Assert.Equal(0, run.ExitCode);
        var lines = run.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(FeatureSchema.Names, lines.Select(l => l.Split(' ', 2)[0]));
        Assert.Matches(@"^topk_entropy +A +Shannon entropy", lines[0]);
    }

    [Fact]
    public void Features_MissingInput_IsAOneLineUserError()
    {
        using var dir = new TempDir();
        var run = LppProcess.Run("features", "--input", dir.File("nope.jsonl"), "--output", dir.File("out.csv"));

        LppProcess.AssertUserError(run, "nope.jsonl: cannot read");
    }

    [Fact]
    public void Features_UnknownOutputFormat_IsAOneLineUserError()
    {
        using var dir = new TempDir();
        var run = LppProcess.Run("features", "--input", Example, "--output", dir.File("out.xlsx"));

        LppProcess.AssertUserError(run, "unknown format '.xlsx' (use .csv or .parquet)");
    }

    [Fact]
    public void Features_TopKZero_IsAOneLineUserError()
    {
        using var dir = new TempDir();
        var run = LppProcess.Run("features", "--input", Example, "--output", dir.File("out.csv"), "--top-k", "0");

        LppProcess.AssertUserError(run, "--top-k 0: top-k must be at least 1");
    }

    [Fact]
    public void Features_UnknownOption_IsAUsageError()
    {
        var run = LppProcess.Run("features", "--inptu", "x");

        LppProcess.AssertUserError(run, "unknown option '--inptu' for lpp features (did you mean --input?)");
    }

    [Fact]
    public void Features_Help_MatchesTheCheckedInText()
    {
        var run = LppProcess.Run("features", "--help");

        Assert.Equal(0, run.ExitCode);
        var expected = File.ReadAllText(Path.Combine(SharedData.RepositoryRoot, "tests", "Lpp.Cli.Tests", "Expected", "features-help.txt"));
        Assert.Equal(expected.ReplaceLineEndings("\n").TrimEnd(), run.StdOut.ReplaceLineEndings("\n").TrimEnd());
    }
}
