using System.Globalization;
using System.Text.Json;

namespace Lpp.Cli.Tests;

public sealed class EvaluateExperimentTests
{
    private static string Sat => SharedData.Path("data/llm-confidence/gpt-4o/sat.jsonl");

    private static string PinnedModel => Path.Combine(SharedData.RepositoryRoot, "tests", "Lpp.Tests", "Expected", "gpt-4o-sat-default.model.json");

    [Fact]
    public void Evaluate_PinnedModel_ChangeDetector_ReportMatchesTheCheckedInMarkdownAndWritesEveryFile()
    {
        // Given the pinned gpt-4o/sat model and its records
        using var dir = new TempDir();

        // When evaluated with 50 bootstrap draws
        var run = LppProcess.Run("evaluate", "--model", PinnedModel, "--input", Sat, "--output", dir.Path, "--bootstrap", "50");

        // Then report.md matches tests/Lpp.Cli.Tests/Expected/evaluate-gpt-4o-sat.md, metrics.json has the issue's shape,
        // every plot is a PNG file, and report.html embeds them
        Assert.Equal(0, run.ExitCode);
        var expected = File.ReadAllText(Path.Combine(SharedData.RepositoryRoot, "tests", "Lpp.Cli.Tests", "Expected", "evaluate-gpt-4o-sat.md"));
        Assert.Equal(expected.ReplaceLineEndings("\n"), File.ReadAllText(dir.File("report.md")));
        var metrics = JsonDocument.Parse(File.ReadAllText(dir.File("metrics.json"))).RootElement;
        Assert.Equal(["records", "labelled", "without_truth", "errors", "cost_model", "bootstrap", "methods", "groups"], metrics.EnumerateObject().Select(p => p.Name));
        Assert.Equal((206, 14), (metrics.GetProperty("records").GetInt32(), metrics.GetProperty("errors").GetInt32()));
        Assert.Equal("paper", metrics.GetProperty("cost_model").GetProperty("form").GetString());
        var meta = metrics.GetProperty("methods").GetProperty("meta_model");
        Assert.Equal(["auc", "auc_ci95", "f1_error", "macro_f1", "cost", "cost_ci95", "tp", "fp", "tn", "fn", "escalations", "escalation_ratio", "trusted_error_rate", "trusted_error_ci95", "tau"], meta.EnumerateObject().Select(p => p.Name));
        foreach (var png in new[] { "roc.png", "reliability.png", "escalation-cost.png", "cost-tau-meta_model.png", "cost-tau-msp.png", "coefficients.png" })
        {
            var bytes = File.ReadAllBytes(dir.File(png));
            Assert.True(bytes.Length > 1000 && bytes[1] == (byte)'P' && bytes[2] == (byte)'N' && bytes[3] == (byte)'G', png);
        }

        var html = File.ReadAllText(dir.File("report.html"));
        Assert.Equal(9, html.Split("src=\"data:image/png;base64,").Length - 1);
        Assert.Empty(Directory.GetDirectories(dir.Path));
    }

    [Fact]
    public void Evaluate_RecordsWithoutTruth_AreCountedAndLeftOut()
    {
        // Given sat with the truth removed from its first 6 lines
        using var dir = new TempDir();
        var lines = File.ReadAllLines(Sat).Select((l, i) => i < 6 ? JsonWithoutTruth(l) : l);
        var input = dir.Write("partial.jsonl", string.Join('\n', lines));

        // When evaluated
        var run = LppProcess.Run("evaluate", "--model", PinnedModel, "--input", input, "--output", dir.File("out"), "--bootstrap", "10");

        // Then 206 are scored, 6 counted without truth, and the report says so
        Assert.Equal(0, run.ExitCode);
        var metrics = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir.File("out"), "metrics.json"))).RootElement;
        Assert.Equal((206, 200, 6), (metrics.GetProperty("records").GetInt32(), metrics.GetProperty("labelled").GetInt32(), metrics.GetProperty("without_truth").GetInt32()));
        Assert.Contains("6 without truth are scored but left out of every metric", File.ReadAllText(Path.Combine(dir.File("out"), "report.md")), StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_EmptyTestSet_IsAOneLineError()
    {
        using var dir = new TempDir();
        var run = LppProcess.Run("evaluate", "--model", PinnedModel, "--input", dir.Write("empty.jsonl", string.Empty), "--output", dir.File("out"));
        LppProcess.AssertUserError(run, "the test set holds no records");
        Assert.False(File.Exists(Path.Combine(dir.File("out"), "report.html")));
    }

    [Fact]
    public void Evaluate_OneClassTestSet_IsAOneLineError()
    {
        using var dir = new TempDir();
        var right = File.ReadAllLines(Sat).Take(20).Where(l => JsonDocument.Parse(l).RootElement is var r && r.GetProperty("truth").GetString() == r.GetProperty("output").GetProperty("outcome").GetString());
        var run = LppProcess.Run("evaluate", "--model", PinnedModel, "--input", dir.Write("right.jsonl", string.Join('\n', right)), "--output", dir.File("out"));
        LppProcess.AssertUserError(run, "labelled answers are correct: evaluation needs both correct and incorrect answers");
        Assert.False(File.Exists(Path.Combine(dir.File("out"), "report.html")));
    }

    [Fact]
    public void Evaluate_ModelThatDoesNotMatchTheRecords_IsAOneLineError()
    {
        // Given records without log-probabilities for a model that reads them
        using var dir = new TempDir();
        var lines = File.ReadAllLines(Sat).Select(l => l.Replace("\"outcome_top_logprobs\"", "\"ignored\"", StringComparison.Ordinal));
        var run = LppProcess.Run("evaluate", "--model", PinnedModel, "--input", dir.Write("nologprobs.jsonl", string.Join('\n', lines)), "--output", dir.File("out"));
        LppProcess.AssertUserError(run, "does not match the records");
        Assert.False(File.Exists(Path.Combine(dir.File("out"), "report.html")));
    }

    [Fact]
    public void Evaluate_UnwritableOutput_IsAOneLineError()
    {
        using var dir = new TempDir();
        var file = dir.Write("a-file", "x");
        var run = LppProcess.Run("evaluate", "--model", PinnedModel, "--input", Sat, "--output", Path.Combine(file, "out"));
        LppProcess.AssertUserError(run, "cannot write");
    }

    [Fact]
    public void Experiment_TestErrorsLargerThanTheData_IsAOneLineErrorWithNoReport()
    {
        using var dir = new TempDir();
        var run = LppProcess.Run("experiment", "--input", Sat, "--output", dir.File("out"), "--test-errors", "15");
        LppProcess.AssertUserError(run, "--test-errors 15: gpt-4o/sat holds only 14 LLM errors");
        Assert.False(File.Exists(Path.Combine(dir.File("out"), "report.html")));
        Assert.Empty(Directory.GetFileSystemEntries(dir.File("out")));
    }

    [Fact]
    public void Experiment_UnwritableOutput_IsAOneLineError()
    {
        using var dir = new TempDir();
        var run = LppProcess.Run("experiment", "--input", Sat, "--output", Path.Combine(dir.Write("a-file", "x"), "out"));
        LppProcess.AssertUserError(run, "cannot write");
    }

    [Fact]
    public void Experiment_MaxTrustedError_WritesTheGuaranteeIntoResultsJsonAndTheReport()
    {
        // Given gpt-4o/sat (14 errors in 206), two splits, guarantees at 0.1 and 0.3
        using var dir = new TempDir();

        // When the experiment also trains with each guarantee
        var run = LppProcess.Run("experiment", "--input", Sat, "--output", dir.Path, "--repeats", "2", "--bootstrap", "20", "--no-ablations", "--max-trusted-error", "0.1,0.3");

        // Then results.json's guarantee is no longer null: per level, the splits, how many qualified, and the realised
        // error among trusted test items beside the cost-optimal model's, the numbers the report's table shows
        Assert.Equal(0, run.ExitCode);
        var report = File.ReadAllText(dir.File("report.md"));
        var guarantee = JsonDocument.Parse(File.ReadAllText(dir.File("results.json"))).RootElement.GetProperty("guarantee");
        Assert.Equal(0.9, guarantee.GetProperty("confidence").GetDouble());
        Assert.Equal([0.1, 0.3], guarantee.GetProperty("levels").EnumerateArray().Select(l => l.GetProperty("max_trusted_error").GetDouble()));
        foreach (var level in guarantee.GetProperty("levels").EnumerateArray())
        {
            var g = level.GetProperty("datasets").GetProperty("gpt-4o/sat");
            Assert.Equal(2, g.GetProperty("splits").GetInt32());
            var a = level.GetProperty("max_trusted_error").GetDouble().ToString("G", CultureInfo.InvariantCulture);
            var optimal = g.GetProperty("cost_optimal");
            var row = $"| gpt-4o/sat | {a} | {g.GetProperty("feasible_splits").GetInt32()} of 2 | {MeanSd(g.GetProperty("trusted_error_rate"), "F3")} | {g.GetProperty("splits_above_level").GetInt32()} | {MeanSd(g.GetProperty("escalation_ratio"), "F2")} | {MeanSd(g.GetProperty("cost"), "F2")} | {MeanSd(optimal.GetProperty("trusted_error_rate"), "F3")} | {MeanSd(optimal.GetProperty("escalation_ratio"), "F2")} | {MeanSd(optimal.GetProperty("cost"), "F2")} |";
            Assert.Contains(row, report, StringComparison.Ordinal);
        }

        // And at 0.3, far above gpt-4o's 7% error rate, a threshold qualifies on at least one split (46 calibration
        // records: the fixed sequence starts at 7 trusted items, so one error among the first few ends it), and there
        // the realised rate is measured
        var loose = guarantee.GetProperty("levels")[1].GetProperty("datasets").GetProperty("gpt-4o/sat");
        Assert.InRange(loose.GetProperty("feasible_splits").GetInt32(), 1, 2);
        Assert.True(loose.GetProperty("trusted_error_rate").GetProperty("n").GetInt32() >= 1);
    }

    [Theory]
    [InlineData("1.5")]
    [InlineData("0.05,abc")]
    [InlineData("0")]
    public void Experiment_MaxTrustedErrorOutOfRange_IsAOneLineError(string levels)
    {
        using var dir = new TempDir();
        var run = LppProcess.Run("experiment", "--input", Sat, "--output", dir.Path, "--max-trusted-error", levels);
        LppProcess.AssertUserError(run, $"--max-trusted-error {levels}: '");
    }

    [Fact]
    public void Experiment_RealData_WritesAReportLedByTheVerdict()
    {
        // Given gpt-4o/sat, two repeats, few bootstrap draws
        using var dir = new TempDir();

        // When the experiment runs (standard error is redirected: plain progress lines)
        var run = LppProcess.Run("experiment", "--input", Sat, "--output", dir.Path, "--repeats", "2", "--bootstrap", "20");

        // Then it prints the verdict, and report.md opens with the same verdict under its title
        Assert.Equal(0, run.ExitCode);
        Assert.StartsWith("On gpt-4o/sat (2 seeded splits, 52 test records each), the meta-model escalates ", run.StdOut, StringComparison.Ordinal);
        var report = File.ReadAllLines(dir.File("report.md"));
        Assert.Equal("# Experiment: the default recipe on gpt-4o/sat", report[0]);
        Assert.Equal(run.StdOut.Trim(), report[2]);
        Assert.Contains("experiment: gpt-4o/sat: 16/16 trainings", run.StdErr, StringComparison.Ordinal);
        Assert.True(File.Exists(dir.File("ablation.png")));
        Assert.Contains("| gpt-4o/sat | 0.4 |", File.ReadAllText(dir.File("report.md")), StringComparison.Ordinal);
        Assert.Contains("data:image/png;base64,", File.ReadAllText(dir.File("report.html")), StringComparison.Ordinal);
        AssertResultsJsonMatchesTheReport(dir.File("results.json"), File.ReadAllText(dir.File("report.md")));
    }

    /// <summary>
    /// results.json has its documented shape, and every number of the report's method, ablation and cost-ratio tables,
    /// formatted as the report formats it, is the one results.json holds.
    /// </summary>
    private static void AssertResultsJsonMatchesTheReport(string path, string report)
    {
        var root = JsonDocument.Parse(File.ReadAllText(path)).RootElement;
        Assert.Equal(["version", "recipe", "compare_recipes", "cost_model", "protocol", "verdict", "guarantee", "datasets"], root.EnumerateObject().Select(p => p.Name));
        Assert.Equal(report.Split('\n')[2], root.GetProperty("verdict").GetString());
        var dataset = root.GetProperty("datasets").EnumerateArray().Single();
        Assert.Equal(["name", "model", "task", "records", "errors", "without_truth", "test_errors", "best_signal", "outcome", "meta_model_minus_best_signal", "methods", "skipped", "ablations", "cost_ratios", "feature_analysis", "first_split"], dataset.EnumerateObject().Select(p => p.Name));
        var name = dataset.GetProperty("name").GetString();
        var methods = dataset.GetProperty("methods");
        Assert.Equal(["always_trust", "msp", "top2_margin", "entropy", "verbalized", "meta_model"], methods.EnumerateObject().Select(p => p.Name));
        foreach (var method in methods.EnumerateObject())
        {
            var m = method.Value;
            Assert.Equal(["splits", "cost", "auc", "f1_error", "escalation_ratio", "tau", "trusted_error_rate"], m.EnumerateObject().Select(p => p.Name));
            var row = $"| {name} | {method.Name} | {m.GetProperty("splits").GetInt32()} | {MeanSd(m.GetProperty("cost"), "F2")} | {MeanSd(m.GetProperty("auc"), "F3")} | {MeanSd(m.GetProperty("f1_error"), "F3")} | {MeanSd(m.GetProperty("escalation_ratio"), "P1")} | {MeanSd(m.GetProperty("tau"), "F4")} | {MeanSd(m.GetProperty("trusted_error_rate"), "P1")} |";
            Assert.Contains(row, report, StringComparison.Ordinal);
        }

        var ablations = dataset.GetProperty("ablations");
        var costRow = $"| {name} | " + string.Join(" | ", ablations.EnumerateObject().Select(a => a.Value.GetProperty("in_model").GetBoolean() ? MeanSd(a.Value.GetProperty("cost_change"), "+0.00;-0.00;0.00") : "—")) + " |";
        Assert.Contains(costRow, report, StringComparison.Ordinal);
        foreach (var c in dataset.GetProperty("cost_ratios").EnumerateArray())
        {
            var row = $"| {name} | {c.GetProperty("ratio").GetDouble().ToString("G", CultureInfo.InvariantCulture)} | {MeanSd(c.GetProperty("always_trust"), "F2")} | {MeanSd(c.GetProperty("at_chosen_tau"), "F2")} | {c.GetProperty("reoptimised_tau").GetDouble().ToString("F3", CultureInfo.InvariantCulture)} | {MeanSd(c.GetProperty("at_reoptimised_tau"), "F2")} | {MeanSd(c.GetProperty("at_hindsight_tau"), "F2")} |";
            Assert.Contains(row, report, StringComparison.Ordinal);
        }

        Assert.Equal(["auc", "auc_ci95", "f1_error", "macro_f1", "cost", "cost_ci95", "tp", "fp", "tn", "fn", "escalations", "escalation_ratio", "trusted_error_rate", "trusted_error_ci95", "tau"], dataset.GetProperty("first_split").GetProperty("methods").GetProperty("meta_model").EnumerateObject().Select(p => p.Name));
    }

    /// <summary>The report's "mean ± sd" (mean alone for one split, — for none), re-derived from a results.json spread.</summary>
    private static string MeanSd(JsonElement spread, string format)
    {
        var n = spread.GetProperty("n").GetInt32();
        string F(JsonElement e, string f) => e.ValueKind == JsonValueKind.Null ? "—" : e.GetDouble().ToString(f, CultureInfo.InvariantCulture);
        return n == 0 ? "—" : n == 1 ? F(spread.GetProperty("mean"), format) : $"{F(spread.GetProperty("mean"), format)} ± {F(spread.GetProperty("sd"), format.Split(';')[0].TrimStart('+'))}";
    }

    private static string JsonWithoutTruth(string line)
    {
        var at = line.LastIndexOf("\"truth\":", StringComparison.Ordinal);
        return line[..at] + "\"truth\": null}";
    }
}
