using System.Text.Json;

namespace Lpp.Cli.Tests;

/// <summary>Records the model was not trained for are refused, not scored (route, evaluate, explain --input).</summary>
public sealed class ShapeCheckTests : IClassFixture<ShapeCheckTests.GptSatModel>
{
    private readonly GptSatModel _model;

    public ShapeCheckTests(GptSatModel model) => _model = model;

    private static string ClaudeSat => SharedData.Path("data/llm-confidence/claude-3-haiku-20240307/sat.jsonl");

    [Fact]
    public void Route_RecordsWithoutLogprobs_AreRejectedWithTheFieldAndCounted()
    {
        // Given a model trained on gpt-4o answers (all with log-probabilities) and Claude's answers (none)
        using var dir = new TempDir();

        // When Claude's answers are routed with --strict
        var run = LppProcess.Run("route", "--model", _model.Path, "--input", ClaudeSat, "--output", dir.File("d.jsonl"), "--rejects", dir.File("bad.jsonl"), "--strict");

        // Then every answered record is rejected with the missing field; the 26 unparseable answers (routed by rule) are written
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("route: read 206, written 26, rejected 180", run.StdErr, StringComparison.Ordinal);
        var reasons = File.ReadAllLines(dir.File("bad.jsonl")).Select(l => JsonDocument.Parse(l).RootElement.GetProperty("reason").GetString()).Distinct().ToList();
        Assert.Equal(["no log-probabilities (output.outcome_top_logprobs), which the model relies on: 100% of its training answers had them (--allow-shape-mismatch scores it anyway)"], reasons);
        Assert.Contains("route: warning: 26 record(s) with source.model claude-3-haiku-20240307, which the training data did not have (gpt-4o)", run.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public void Route_OtherLabels_AreRejectedUnlessAllowed()
    {
        // Given a gpt-4o SAT record relabelled ["a","b"] (answer "a")
        using var dir = new TempDir();
        var line = File.ReadLines(SharedData.Path("data/llm-confidence/gpt-4o/sat.jsonl")).First();
        var record = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(line)!;
        var relabelled = line.Replace(record["labels"].GetRawText(), "[\"a\", \"b\"]", StringComparison.Ordinal)
            .Replace("\"truth\": " + record["truth"].GetRawText(), "\"truth\": null", StringComparison.Ordinal)
            .Replace("\"outcome\": " + record["output"].GetProperty("outcome").GetRawText(), "\"outcome\": \"a\"", StringComparison.Ordinal);
        var input = dir.Write("ab.jsonl", relabelled + "\n");

        // When it is routed, then routed with --allow-shape-mismatch
        var refused = LppProcess.Run("route", "--model", _model.Path, "--input", input, "--output", dir.File("d.jsonl"), "--rejects", dir.File("bad.jsonl"));
        var reasons = File.ReadAllText(dir.File("bad.jsonl"));
        var allowed = LppProcess.Run("route", "--model", _model.Path, "--input", input, "--output", dir.File("d.jsonl"), "--allow-shape-mismatch");

        // Then it is refused naming both label sets (exit 1: every line rejected), and scored when allowed
        Assert.Equal(1, refused.ExitCode);
        Assert.Equal("labels [\"a\",\"b\"] are not the labels the model was trained on ([\"A\",\"B\",\"C\",\"D\"]) (--allow-shape-mismatch scores it anyway)", JsonDocument.Parse(reasons).RootElement.GetProperty("reason").GetString());
        Assert.Equal(0, allowed.ExitCode);
        Assert.Single(File.ReadAllLines(dir.File("d.jsonl")));
    }

    [Fact]
    public void Evaluate_RecordsTheModelWasNotTrainedFor_IsOneLineNamingTheReason()
    {
        using var dir = new TempDir();

        var run = LppProcess.Run("evaluate", "--model", _model.Path, "--input", ClaudeSat, "--output", dir.File("out"));

        LppProcess.AssertUserError(run, "it was not trained for any of them (180 record(s): no log-probabilities (output.outcome_top_logprobs), which the model relies on");
        Assert.False(File.Exists(Path.Combine(dir.File("out"), "report.html")));
    }

    [Fact]
    public void Explain_WithInput_ShowsWhatTheModelWasTrainedForAndTheCheck()
    {
        var run = LppProcess.Run("explain", "--model", _model.Path, "--input", ClaudeSat);

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("trained for (206 training records with a decision answer; other records are refused unless --allow-shape-mismatch):", run.StdOut, StringComparison.Ordinal);
        Assert.Contains("  signals relied on  output.outcome_top_logprobs, output.verbalized_confidence", run.StdOut, StringComparison.Ordinal);
        Assert.Contains("  source.model        gpt-4o", run.StdOut, StringComparison.Ordinal);
        Assert.Contains($"records of {ClaudeSat}: 206 checked, 26 fit, 180 not trained for", run.StdOut, StringComparison.Ordinal);
        Assert.Contains("warning: 206 record(s) with source.model claude-3-haiku-20240307, which the training data did not have", run.StdOut, StringComparison.Ordinal);
    }

    /// <summary>A default-recipe model trained once on gpt-4o SAT (206 answers, all with log-probabilities and verbalized confidence).</summary>
    public sealed class GptSatModel : IDisposable
    {
        private readonly TempDir _dir = new();

        public GptSatModel()
        {
            Path = _dir.File("gpt-4o-sat.model.json");
            var train = LppProcess.Run("train", "--input", SharedData.Path("data/llm-confidence/gpt-4o/sat.jsonl"), "--output", Path);
            Assert.Equal(0, train.ExitCode);
        }

        public string Path { get; }

        public void Dispose() => _dir.Dispose();
    }
}
