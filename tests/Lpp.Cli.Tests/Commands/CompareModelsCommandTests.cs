namespace Lpp.Cli.Tests;

public sealed class CompareModelsCommandTests
{
    private static string Sat => SharedData.Path("data/llm-confidence/gpt-4o/sat.jsonl");

    private static string Model => Path.Combine(SharedData.RepositoryRoot, "tests", "Lpp.Tests", "Expected", "gpt-4o-sat-default.model.json");

    [Fact]
    public void CompareModels_SameModelTwice_PrintsBothAndRecommendsKeepingA()
    {
        var run = LppProcess.Run("compare-models", "--model", Model, "--model", Model, "--input", Sat, "--bootstrap", "50");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("206 labelled records, 14 LLM errors", run.StdOut, StringComparison.Ordinal);
        Assert.Contains("B - A: cost 0.00 (95% paired bootstrap [0.00, 0.00]", run.StdOut, StringComparison.Ordinal);
        Assert.Contains("decide alike on 100.0% of records", run.StdOut, StringComparison.Ordinal);
        Assert.StartsWith("keep A: no clear difference", run.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1], StringComparison.Ordinal);
    }

    [Fact]
    public void CompareModels_OneModel_IsAOneLineRefusal()
    {
        var run = LppProcess.Run("compare-models", "--model", Model, "--input", Sat);

        LppProcess.AssertUserError(run, "--model must be given exactly twice (A, the model in service, then B), got 1");
    }
}
