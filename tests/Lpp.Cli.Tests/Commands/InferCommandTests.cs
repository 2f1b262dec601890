namespace Lpp.Cli.Tests;

public sealed class InferCommandTests
{
    [Fact]
    public void Infer_Help_MatchesTheCheckedInText()
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

    [Fact]
    public void RecordsMerge_Shards_JoinsThemRefusesDuplicatesAndReportsMissingPairs()
    {
        // Given two shard outputs, an items file of 3 items and one concept, and pair c/H in no shard
        using var dir = new TempDir();
        var a = dir.Write("a.jsonl", "{\"id\":\"a/H\",\"labels\":[\"0\",\"1\"]}\n");
        var b = dir.Write("b.jsonl", "{\"id\":\"b/H\",\"labels\":[\"0\",\"1\"]}\n");
        var items = dir.Write("items.jsonl", "{\"id\":\"a\",\"text\":\"x\"}\n{\"id\":\"b\",\"text\":\"y\"}\n{\"id\":\"c\",\"text\":\"z\"}\n");
        var concepts = dir.Write("concepts.json", "{\"H\": {\"name\": \"Hate\", \"definition\": \"Hateful content\"}}");

        // When they are merged, and merged again with a shard given twice
        var run = LppProcess.Run("records", "merge", "--input", a, "--input", b, "--output", dir.File("all.jsonl"), "--expect", items, "--concepts", concepts);
        var twice = LppProcess.Run("records", "merge", "--input", a, "--input", a, "--output", dir.File("twice.jsonl"));

        // Then the merge holds both records and names the missing pair (exit 1); the duplicate is refused, nothing written
        Assert.Equal(1, run.ExitCode);
        Assert.Equal(2, File.ReadAllLines(dir.File("all.jsonl")).Length);
        Assert.Contains("1 of 3 expected pairs are missing from every shard: c/H", run.StdErr, StringComparison.Ordinal);
        LppProcess.AssertUserError(twice, $"{a}:1: duplicate id 'a/H' (first in {a}:1)");
        Assert.False(File.Exists(dir.File("twice.jsonl")));
    }

    [Fact]
    public void Infer_TwoShards_SplitThePairsWithoutOverlap()
    {
        // Given 8 items and a base URL where nothing listens (every pair is written as a transport failure)
        using var dir = new TempDir();
        var items = dir.Write("items.jsonl", string.Concat(Enumerable.Range(0, 8).Select(i => $"{{\"id\": \"n{i}\", \"text\": \"t{i}\"}}\n")));
        var concepts = dir.Write("concepts.json", "{\"H\": {\"name\": \"Hate\", \"definition\": \"Hateful content\"}}");
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();

        // When shard 1/2 and shard 2/2 run
        var runs = new[] { "1/2", "2/2" }.Select(k => LppProcess.Run("infer", "--provider", "openai-compatible", "--base-url", $"http://127.0.0.1:{port}/v1", "--model", "m",
            "--max-retries", "0", "--shard", k, "--input", items, "--concepts", concepts, "--output", dir.File($"out-{k[0]}.jsonl"))).ToList();

        // Then every pair is in exactly one shard's output, and each summary names its shard
        var ids = new[] { "out-1.jsonl", "out-2.jsonl" }.Select(f => File.ReadAllLines(dir.File(f)).Select(l => System.Text.Json.JsonDocument.Parse(l).RootElement.GetProperty("id").GetString()!).ToList()).ToList();
        Assert.Empty(ids[0].Intersect(ids[1]));
        Assert.Equal(Enumerable.Range(0, 8).Select(i => $"n{i}/H").Order(), ids[0].Concat(ids[1]).Order());
        Assert.All(ids[0], id => Assert.Equal(0, Lpp.Inference.Shard.Of(id, 2)));
        Assert.Contains("shard 1/2", runs[0].StdErr, StringComparison.Ordinal);
        Assert.Contains("shard 2/2", runs[1].StdErr, StringComparison.Ordinal);
    }
}
