namespace Lpp.Cli.Tests;

public sealed class InferCommandTests
{
    [Fact]
    public void Infer_Help_ChangeDetector_MatchesTheCheckedInText()
    {
        var run = LppProcess.Run("infer", "--help");

        Assert.Equal(0, run.ExitCode);
        var expected = File.ReadAllText(Path.Combine(SharedData.RepositoryRoot, "tests", "Lpp.Cli.Tests", "Expected", "infer-help.txt"));
        Assert.Equal(expected.ReplaceLineEndings("\n").TrimEnd(), run.StdOut.ReplaceLineEndings("\n").TrimEnd());
    }

    [Fact]
    public void Infer_OpenAiWithoutKey_IsAOneLineUserError()
    {
        // Given items and concepts but no OPENAI_API_KEY in the environment
        using var dir = new TempDir();
        var items = dir.Write("items.jsonl", "{\"id\": \"a\", \"text\": \"hello\", \"labels\": {\"H\": 0}}\n");
        var concepts = dir.Write("concepts.json", "{\"H\": {\"name\": \"Hate\", \"definition\": \"Hateful content\"}}");

        // When inference is asked of OpenAI
        var run = LppProcess.RunWithout("OPENAI_API_KEY", "infer", "--provider", "openai", "--model", "gpt-4o-mini", "--input", items, "--concepts", concepts, "--output", dir.File("out.jsonl"));

        // Then it stops before any call with one line naming the variable
        LppProcess.AssertUserError(run, "OPENAI_API_KEY is not set (or pass --api-key-file FILE)");
        Assert.False(File.Exists(dir.File("out.jsonl")) && new FileInfo(dir.File("out.jsonl")).Length > 0);
    }
}
