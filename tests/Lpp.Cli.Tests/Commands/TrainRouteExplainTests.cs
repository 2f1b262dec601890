using System.Text.Json;

namespace Lpp.Cli.Tests;

public sealed class TrainRouteExplainTests
{
    private static string Sat => SharedData.Path("data/llm-confidence/gpt-4o/sat.jsonl");

    [Fact]
    public void TrainThenRoute_RealData_WritesADecisionPerRecordWithTheContractFields()
    {
        // Given a model trained on real answers
        using var dir = new TempDir();
        var model = dir.File("model.json");
        var train = LppProcess.Run("train", "--input", Sat, "--output", model);

        // When the same records are routed
        var decisions = dir.File("decisions.jsonl");
        var route = LppProcess.Run("route", "--model", model, "--input", Sat, "--output", decisions);

        // Then training printed its choice and every record got one decision with the contract fields
        Assert.Equal(0, train.ExitCode);
        Assert.Contains("recipe         default (206 labelled records, 14 LLM errors)", train.StdOut, StringComparison.Ordinal);
        Assert.Contains("tau            0.6800", train.StdOut, StringComparison.Ordinal);
        Assert.Equal(0, route.ExitCode);
        var lines = File.ReadAllLines(decisions);
        Assert.Equal(206, lines.Length);
        foreach (var line in lines)
        {
            var d = JsonDocument.Parse(line).RootElement;
            Assert.Equal(["id", "outcome", "decision", "score", "tau", "reason", "queue", "contributions", "source"], d.EnumerateObject().Select(p => p.Name));
            var trust = d.GetProperty("decision").GetString() == "trust";
            Assert.Equal(trust, d.GetProperty("score").GetDouble() >= d.GetProperty("tau").GetDouble());
            Assert.Equal(trust ? "auto" : "review", d.GetProperty("queue").GetString());
            Assert.Equal(3, d.GetProperty("contributions").GetArrayLength());
            Assert.Equal("gpt-4o", d.GetProperty("source").GetProperty("model").GetString());
        }

        Assert.Contains("route: read 206, written 206, rejected 0", route.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public void Explain_ChangeDetector_MatchesTheCheckedInText()
    {
        // Given the model pinned in tests/Lpp.Tests/Expected (trained on gpt-4o/sat with the defaults)
        var model = Path.Combine(SharedData.RepositoryRoot, "tests", "Lpp.Tests", "Expected", "gpt-4o-sat-default.model.json");

        // When it is explained
        var run = LppProcess.Run("explain", "--model", model);

        // Then the text matches tests/Lpp.Cli.Tests/Expected/explain-gpt-4o-sat.txt
        Assert.Equal(0, run.ExitCode);
        var expected = File.ReadAllText(Path.Combine(SharedData.RepositoryRoot, "tests", "Lpp.Cli.Tests", "Expected", "explain-gpt-4o-sat.txt"));
        Assert.Equal(expected.ReplaceLineEndings("\n"), run.StdOut.ReplaceLineEndings("\n"));
    }

    [Fact]
    public void Train_TooFewErrors_IsAOneLineRefusal()
    {
        var run = LppProcess.Run("train", "--input", Path.Combine(SharedData.RepositoryRoot, "examples", "moderation.jsonl"), "--output", Path.GetTempFileName());

        LppProcess.AssertUserError(run, "cannot train: only 4 incorrect answers among 7: training needs at least 5");
    }

    [Fact]
    public void Train_UnknownFamily_IsAOneLineUserError()
    {
        var run = LppProcess.Run("train", "--input", Sat, "--output", Path.GetTempFileName(), "--exclude-family", "A,Z");

        LppProcess.AssertUserError(run, "--exclude-family 'Z' is not one of A, B, C, D, E, F, G");
    }

    [Fact]
    public void Route_DamagedModel_IsAOneLineRefusal()
    {
        using var dir = new TempDir();
        var model = dir.Write("model.json", File.ReadAllText(Path.Combine(SharedData.RepositoryRoot, "tests", "Lpp.Tests", "Expected", "gpt-4o-sat-default.model.json")).Replace("\"tau\": 0.6799999999999999", "\"tau\": 0.5", StringComparison.Ordinal));

        var run = LppProcess.Run("route", "--model", model, "--input", Sat, "--output", dir.File("d.jsonl"));

        LppProcess.AssertUserError(run, "checksum mismatch");
    }

    [Fact]
    public void Route_BadLines_AreReportedNotLost()
    {
        using var dir = new TempDir();
        var input = dir.Write("in.jsonl", string.Join('\n', File.ReadLines(Sat).Take(3).Append("{broken").Append(File.ReadLines(Sat).First())) + "\n");
        var model = Path.Combine(SharedData.RepositoryRoot, "tests", "Lpp.Tests", "Expected", "gpt-4o-sat-default.model.json");

        var run = LppProcess.Run("route", "--model", model, "--input", input, "--output", dir.File("d.jsonl"), "--rejects", dir.File("bad.jsonl"), "--strict");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("route: read 5, written 3, rejected 2", run.StdErr, StringComparison.Ordinal);
        Assert.Equal(2, File.ReadAllLines(dir.File("bad.jsonl")).Length);
    }
}
