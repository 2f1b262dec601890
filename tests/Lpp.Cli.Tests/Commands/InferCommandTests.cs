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

    [Fact]
    public void Infer_DuplicateItemIds_AreRefusedBeforeAnyCall()
    {
        // Given items where line 3 repeats the id of line 1 (the base URL has no server: a call would fail)
        using var dir = new TempDir();
        var items = dir.Write("items.jsonl", "{\"id\": \"a\", \"text\": \"one\"}\n{\"id\": \"b\", \"text\": \"two\"}\n{\"id\": \"a\", \"text\": \"three\"}\n");
        var concepts = dir.Write("concepts.json", "{\"H\": {\"name\": \"Hate\", \"definition\": \"Hateful content\"}}");

        // When inference runs with several requests in flight
        var run = LppProcess.Run("infer", "--provider", "openai-compatible", "--base-url", "http://127.0.0.1:9/v1", "--model", "m", "--parallel", "8",
            "--input", items, "--concepts", concepts, "--output", dir.File("out.jsonl"));

        // Then it stops with one line naming both lines, and nothing is written
        LppProcess.AssertUserError(run, $"{items}:3: duplicate id 'a' (first on line 1)");
        Assert.False(File.Exists(dir.File("out.jsonl")));
    }

    [Fact]
    public void Infer_EveryCallFailsTheSameWay_Exits2NamingTheCause()
    {
        // Given a base URL where nothing listens (a port taken from the OS, then released)
        using var dir = new TempDir();
        var items = dir.Write("items.jsonl", "{\"id\": \"a\", \"text\": \"one\"}\n{\"id\": \"b\", \"text\": \"two\"}\n");
        var concepts = dir.Write("concepts.json", "{\"H\": {\"name\": \"Hate\", \"definition\": \"Hateful content\"}}");
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();

        // When inference runs (no retries, to be quick)
        var run = LppProcess.Run("infer", "--provider", "openai-compatible", "--base-url", $"http://127.0.0.1:{port}/v1", "--model", "m",
            "--max-retries", "0", "--input", items, "--concepts", concepts, "--output", dir.File("out.jsonl"));

        // Then it exits 2 naming the one cause; both pairs are written as transport failures, to be called again
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("lpp infer: every call failed: cannot reach 127.0.0.1: connection refused", run.StdErr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", run.StdErr, StringComparison.Ordinal);
        var lines = File.ReadAllLines(dir.File("out.jsonl"));
        Assert.Equal(2, lines.Length);
        Assert.All(lines, l => Assert.Contains("\"error_kind\":\"transport\"", l, StringComparison.Ordinal));
    }
}
