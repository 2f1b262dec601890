namespace Lpp.Cli.Tests;

public sealed class ExplainAnalysisTests
{
    private static string PinnedModel => Path.Combine(SharedData.RepositoryRoot, "tests", "Lpp.Tests", "Expected", "gpt-4o-sat-default.model.json");

    [Fact]
    public void Explain_WithLabelledInput_PrintsTheFeatureAnalysisWithGroupsAndNetCoefficients()
    {
        // Given the pinned gpt-4o/sat model and its records, when explained against them
        var run = LppProcess.Run("explain", "--model", PinnedModel, "--input", SharedData.Path("data/llm-confidence/gpt-4o/sat.jsonl"));

        // Then the analysis follows: the 206 labelled records, the groups with their net coefficient, and one line per
        // feature with its correlation, p-value and VIF; topk_msp and label_msp are near duplicates in one group
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("feature analysis on 206 labelled records of ", run.StdOut, StringComparison.Ordinal);
        Assert.Contains(" net coefficient ", run.StdOut, StringComparison.Ordinal);
        var msp = run.StdOut.Split('\n').Single(l => l.StartsWith("  topk_msp ", StringComparison.Ordinal) && l.Contains(" A ", StringComparison.Ordinal));
        var labelMsp = run.StdOut.Split('\n').Single(l => l.StartsWith("  label_msp ", StringComparison.Ordinal) && l.Contains(" B ", StringComparison.Ordinal));
        Assert.Equal(msp.Split(' ', StringSplitOptions.RemoveEmptyEntries)[^1], labelMsp.Split(' ', StringSplitOptions.RemoveEmptyEntries)[^1]);
    }
}
