using System.Text.Json;

namespace Lpp.Cli.Tests;

public sealed class CostsOptionTests
{
    private static string Sat => SharedData.Path("data/llm-confidence/gpt-4o/sat.jsonl");

    [Fact]
    public void TrainRouteEvaluate_WithCosts_RouteEachItemAtItsOwnThreshold()
    {
        // Given costs keyed by task where sat errors cost 50 (closed form: tau = 1 - 0.64/100 = 0.9936)
        using var dir = new TempDir();
        var costs = dir.File("costs.json");
        File.WriteAllText(costs, """{"default": {"c_error": 1, "c_review": 0.64}, "by": "task", "values": {"sat": {"c_error": 50, "c_review": 0.64}}}""");
        var model = dir.File("model.json");

        // When a model is trained with them, and the records routed and evaluated
        var train = LppProcess.Run("train", "--input", Sat, "--output", model, "--costs", costs);
        var decisions = dir.File("decisions.jsonl");
        var route = LppProcess.Run("route", "--model", model, "--input", Sat, "--output", decisions);
        var evaluate = LppProcess.Run("evaluate", "--model", model, "--input", Sat, "--output", dir.File("report"), "--bootstrap", "20");

        // Then training shows the costs, every routed decision names them, and evaluation counts them
        Assert.Equal(0, train.ExitCode);
        Assert.Contains("task=sat: c_error 50, c_review 0.64, tau 0.9936", train.StdOut, StringComparison.Ordinal);
        Assert.Equal(0, route.ExitCode);
        foreach (var line in File.ReadAllLines(decisions))
        {
            var d = JsonDocument.Parse(line).RootElement;
            Assert.Equal("sat", d.GetProperty("costs").GetString());
            Assert.Equal(0.9936, d.GetProperty("tau").GetDouble(), 1e-12);
        }

        Assert.Equal(0, evaluate.ExitCode);
        var metrics = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir.File("report"), "metrics.json"))).RootElement;
        Assert.Equal(50, metrics.GetProperty("severity_costs").GetProperty("values").GetProperty("sat").GetProperty("c_error").GetDouble());
        // always_trust lets every error through at c_error 50 each: 14 errors (the shared file) cost 700
        Assert.Equal(700, metrics.GetProperty("methods").GetProperty("always_trust").GetProperty("cost").GetDouble(), 1e-9);
    }

    [Theory]
    [InlineData("""{"by": "concept"}""", "costs.json: no \"default\" costs")]
    [InlineData("""{"default": {"c_error": -2, "c_review": 0.64}}""", "costs.json: default.c_error must be a positive number (got -2)")]
    public void Train_BadCosts_IsAOneLineRefusal(string json, string message)
    {
        using var dir = new TempDir();
        var costs = dir.File("costs.json");
        File.WriteAllText(costs, json);

        var run = LppProcess.Run("train", "--input", Sat, "--output", dir.File("model.json"), "--costs", costs);

        LppProcess.AssertUserError(run, message);
        Assert.False(File.Exists(dir.File("model.json")));
    }

    [Fact]
    public void Route_MissingCostsFile_IsAOneLineRefusal()
    {
        using var dir = new TempDir();
        var model = Path.Combine(SharedData.RepositoryRoot, "tests", "Lpp.Tests", "Expected", "gpt-4o-sat-default.model.json");

        var run = LppProcess.Run("route", "--model", model, "--input", Sat, "--output", dir.File("d.jsonl"), "--costs", dir.File("none.json"));

        LppProcess.AssertUserError(run, "--costs ");
    }
}
