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
        using var file = JsonDocument.Parse(File.ReadAllBytes(model));
        var learned = !file.RootElement.TryGetProperty("policy", out var policy) || policy.GetProperty("kind").GetString() == "learned";
        Assert.Contains(learned ? "deployed       the learned model" : "deployed       simple policy", train.StdOut, StringComparison.Ordinal);
        foreach (var line in lines)
        {
            var d = JsonDocument.Parse(line).RootElement;
            Assert.Equal(["id", "outcome", "decision", "score", "tau", "reason", "queue", "contributions", "source"], d.EnumerateObject().Select(p => p.Name));
            var trust = d.GetProperty("decision").GetString() == "trust";
            Assert.InRange(d.GetProperty("score").GetDouble(), 0, 1);
            Assert.Equal(trust ? "auto" : "review", d.GetProperty("queue").GetString());
            if (learned)
            {
                // The learned model decides: trust iff score >= tau, with the three largest contributions
                Assert.Equal(trust, d.GetProperty("score").GetDouble() >= d.GetProperty("tau").GetDouble());
                Assert.Equal(3, d.GetProperty("contributions").GetArrayLength());
            }
            else
            {
                // A simple policy decides: the learned score is still reported, no contributions are claimed
                Assert.Equal(0, d.GetProperty("contributions").GetArrayLength());
            }

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

    [Theory]
    [InlineData("--max-trusted-error", "0", "max-trusted-error must be strictly between 0 and 1 (got 0)")]
    [InlineData("--max-trusted-error", "1.5", "max-trusted-error must be strictly between 0 and 1 (got 1.5)")]
    [InlineData("--confidence", "0.5", "confidence must be strictly between 0.5 and 1 (got 0.5)")]
    [InlineData("--confidence", "1", "confidence must be strictly between 0.5 and 1 (got 1)")]
    public void Train_GuaranteeOutOfRange_IsAOneLineUserError(string option, string value, string message)
    {
        var arguments = option == "--confidence" ? new[] { "--max-trusted-error", "0.1", option, value } : [option, value];
        var run = LppProcess.Run(["train", "--input", Sat, "--output", Path.GetTempFileName(), .. arguments]);

        LppProcess.AssertUserError(run, message);
    }

    [Fact]
    public void Train_ImpossibleGuarantee_SaysSoInOneLineAndEscalatesEverything()
    {
        // Given gpt-4o/sat, whose 62 calibration records cannot show at most 1% errors among trusted items with 90% confidence
        using var dir = new TempDir();
        var model = dir.File("model.json");
        var run = LppProcess.Run("train", "--input", Sat, "--output", model, "--max-trusted-error", "0.01");

        // Then training completes, says so in one line, and the model escalates everything
        Assert.Equal(0, run.ExitCode);
        Assert.Equal("no threshold keeps the error rate among trusted items at or below 0.01 with 90% confidence on 62 calibration records: deploying escalate-everything (--allow-infeasible keeps the cost-optimal policy)", run.StdErr.Trim());
        Assert.Contains("deployed       simple policy: escalate_everything", run.StdOut, StringComparison.Ordinal);
        Assert.Contains("guarantee      error rate among trusted items <= 0.01 with 90% confidence", run.StdOut, StringComparison.Ordinal);
        using var file = JsonDocument.Parse(File.ReadAllBytes(model));
        Assert.False(file.RootElement.GetProperty("guarantee").GetProperty("feasible").GetBoolean());
        Assert.Equal("escalate_everything", file.RootElement.GetProperty("policy").GetProperty("kind").GetString());
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
        var model = dir.Write("model.json", File.ReadAllText(Path.Combine(SharedData.RepositoryRoot, "tests", "Lpp.Tests", "Expected", "gpt-4o-sat-default.model.json")).Replace("\"tau\": 0.68", "\"tau\": 0.5", StringComparison.Ordinal));

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

    [Fact]
    public void Route_ModelWithContributionGroups_ReportsEachGroupAsOneContributionWithItsMembers()
    {
        // Given a hand model (mean 0, scale 1: a value is its standardised value) with coefficients logodds_margin 1,
        // label_logodds_margin -0.5, verbalized_confidence 1, the two margins one contribution group, and an answer
        // whose two alternatives have logprobs -0.1 and -2.5 (both margins l2 - l1 = -2.4) and confidence 90
        using var dir = new TempDir();
        var model = dir.File("model.json");
        WriteHandModel(model, grouped: true);
        var input = dir.Write("in.jsonl", """{"id":"a","labels":["0","1"],"output":{"outcome":"1","verbalized_confidence":90,"outcome_top_logprobs":[{"token":"1","logprob":-0.1},{"token":"0","logprob":-2.5}]},"truth":"1"}""" + "\n");

        // When it is routed
        var run = LppProcess.Run("route", "--model", model, "--input", input, "--output", dir.File("d.jsonl"));

        // Then (hand calculation) the margins are one contribution, -2.4 + 1.2 = -1.2, before verbalized_confidence 0.9
        Assert.Equal(0, run.ExitCode);
        var contributions = JsonDocument.Parse(File.ReadAllText(dir.File("d.jsonl"))).RootElement.GetProperty("contributions");
        Assert.Equal(2, contributions.GetArrayLength());
        var margin = contributions[0];
        Assert.Equal(["feature", "linear_term", "members"], margin.EnumerateObject().Select(p => p.Name));
        Assert.Equal("margin (logodds_margin, label_logodds_margin)", margin.GetProperty("feature").GetString());
        Assert.Equal(-1.2, margin.GetProperty("linear_term").GetDouble(), 12);
        Assert.Equal(["logodds_margin", "label_logodds_margin"], margin.GetProperty("members").EnumerateArray().Select(m => m.GetString()));
        Assert.Equal("verbalized_confidence", contributions[1].GetProperty("feature").GetString());
        Assert.Equal(0.9, contributions[1].GetProperty("linear_term").GetDouble(), 12);
        Assert.DoesNotContain("contribution_groups", run.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public void RouteAndExplain_ModelWithoutContributionGroups_SayOnceThatContributionsArePerFeature()
    {
        // Given the same hand model written without contribution groups (as an older lpp wrote it)
        using var dir = new TempDir();
        var model = dir.File("model.json");
        WriteHandModel(model, grouped: false);
        var line = """{"id":"ID","labels":["0","1"],"output":{"outcome":"1","verbalized_confidence":90,"outcome_top_logprobs":[{"token":"1","logprob":-0.1},{"token":"0","logprob":-2.5}]},"truth":"1"}""";
        var input = dir.Write("in.jsonl", line.Replace("ID", "a", StringComparison.Ordinal) + "\n" + line.Replace("ID", "b", StringComparison.Ordinal) + "\n");

        // When two records are routed and the model is explained
        var route = LppProcess.Run("route", "--model", model, "--input", input, "--output", dir.File("d.jsonl"));
        var explain = LppProcess.Run("explain", "--model", model);

        // Then (hand calculation) the margins are two contributions of opposite signs, -2.4 and +1.2, then 0.9; said once in route's summary and in explain
        Assert.Equal(0, route.ExitCode);
        var first = JsonDocument.Parse(File.ReadLines(dir.File("d.jsonl")).First()).RootElement.GetProperty("contributions");
        Assert.Equal(["logodds_margin", "label_logodds_margin", "verbalized_confidence"], first.EnumerateArray().Select(c => c.GetProperty("feature").GetString()));
        Assert.Single(route.StdErr.Split('\n'), l => l.Contains("contributions are per feature: the model file has no contribution_groups", StringComparison.Ordinal));
        Assert.Contains("contributions: per feature (this model file has no contribution_groups", explain.StdOut, StringComparison.Ordinal);
    }

    private static void WriteHandModel(string path, bool grouped)
    {
        var model = new EscalationModel(
            Recipe.Default,
            ["logodds_margin", "label_logodds_margin", "verbalized_confidence"],
            topK: 5,
            new MedianImputerModel([0, 0, 0]),
            new StandardScalerModel([0, 0, 0], [1, 1, 1]),
            new CalibratedRidgeModel([new CalibratedRidgeMember(new RidgeClassifierModel([1, -0.5, 1], 0), new PlattCalibrator(-1, 0))]),
            0.5,
            CostModel.Default,
            [],
            new ModelProvenance(),
            new Dictionary<string, string>());
        if (grouped)
        {
            model = model.WithContributionGroups(new ContributionGroups(0.95, [new ContributionGroup("margin", ["logodds_margin", "label_logodds_margin"], [1, 1])]));
        }

        using var stream = File.Create(path);
        EscalationModelFile.Write(model, stream, DateTimeOffset.UnixEpoch);
    }
}
