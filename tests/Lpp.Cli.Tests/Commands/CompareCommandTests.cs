using System.Text.Json.Nodes;

namespace Lpp.Cli.Tests;

public sealed class CompareCommandTests
{
    private static string Sat => SharedData.Path("data/llm-confidence/gpt-4o/sat.jsonl");

    [Fact]
    public void Compare_TooFewErrorsToTrain_ReportsTheRecipesAsSkippedInsteadOfCrashing()
    {
        // Given gpt-4o/sat (206 records) with 8 of its wrong answers relabelled right: 6 LLM errors, the file on which
        // lpp compare used to abort with a stack trace in RecipeComparisonResult.BestBaseline
        using var dir = new TempDir();
        var flipped = 0;
        var lines = File.ReadAllLines(Sat).Select(line =>
        {
            var r = JsonNode.Parse(line)!;
            var outcome = (string?)r["output"]!["outcome"];
            if (outcome is "A" or "B" or "C" or "D" && outcome != (string?)r["truth"] && flipped < 8)
            {
                r["truth"] = outcome;
                flipped++;
            }

            return r.ToJsonString();
        });
        var input = dir.Write("sat6.jsonl", string.Join('\n', lines.ToList()));

        // When compared over two splits
        var run = LppProcess.Run("compare", "--input", input, "--repeats", "2", "--output", dir.File("table.md"));

        // Then it exits 0 and writes the table: the recipes show — and are listed as skipped with the trainer's
        // reason; the baselines that could run are measured
        Assert.Equal(0, run.ExitCode);
        Assert.Equal(8, flipped);
        var row = run.StdOut.Split('\n').Single(l => l.StartsWith("| ", StringComparison.Ordinal) && l.Contains("sat6", StringComparison.Ordinal));
        Assert.Matches(@"^\| [^|]*sat6 \| 206 \| 6 \| [0-9.]+ \| [0-9.]+ \| — \| — \| [a-z0-9_]+ \| [0-9.-]+ \| — \| — \| — \| — \| [0-9.]+ \|$", row.TrimEnd());
        Assert.Matches("sat6: default skipped on 2 of 2 splits \\(only [0-9] incorrect answers among [0-9]+: training needs at least 5\\)", run.StdOut);
        Assert.Matches("sat6: paper skipped on 2 of 2 splits", run.StdOut);
        Assert.DoesNotContain("   at ", run.StdErr, StringComparison.Ordinal);
        Assert.Equal(run.StdOut, File.ReadAllText(dir.File("table.md")));
    }
}
