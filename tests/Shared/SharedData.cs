namespace Lpp.Testing;

/// <summary>
/// The read-only shared data folder beside the checkout (<c>../shared</c>). Tests that need it call
/// <see cref="Path(string)"/>: where the folder is absent (a user's clone) they are skipped with the reason, except
/// when the environment variable CI is set, where they fail instead.
/// </summary>
public static class SharedData
{
    private static readonly Lazy<string?> Root = new(Locate);

    /// <summary>The repository root (the folder holding Lpp.slnx).</summary>
    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    /// <summary>Full path of <paramref name="relative"/> inside ../shared; skips or fails the test when the folder is absent.</summary>
    public static string Path(string relative)
    {
        var root = Root.Value;
        if (root is null)
        {
            var reason = $"../shared is not beside the checkout ({System.IO.Path.GetFullPath(System.IO.Path.Combine(RepositoryRoot, "..", "shared"))})";
            if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CI")))
            {
                Assert.Fail(reason + " and CI is set: shared-data tests must run in CI");
            }

            Assert.Skip(reason);
        }

        var path = System.IO.Path.Combine(root!, relative);
        Assert.True(File.Exists(path) || Directory.Exists(path), $"{path} is missing from ../shared");
        return path;
    }

    /// <summary>The 12 real datasets of ../shared/data/llm-confidence (model/task.jsonl).</summary>
    public static IReadOnlyList<string> LlmConfidenceFiles() =>
        [.. Directory.GetFiles(Path("data/llm-confidence"), "*.jsonl", SearchOption.AllDirectories).Order(StringComparer.Ordinal)];

    private static string? Locate()
    {
        var shared = System.IO.Path.GetFullPath(System.IO.Path.Combine(RepositoryRoot, "..", "shared"));
        return Directory.Exists(shared) ? shared : null;
    }

    private static string FindRepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(System.IO.Path.Combine(dir.FullName, "Lpp.slnx")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("cannot find the repository root (Lpp.slnx) above " + AppContext.BaseDirectory);
    }
}
