using Microsoft.Data.Sqlite;

namespace Lpp.Inference.Tests;

public sealed class BatchLedgerTests
{
    [Fact]
    public void Requests_ManyKeys_MatchOneByOne()
    {
        using var temp = new TempDir();
        using var ledger = new BatchLedger(temp.File("c.db"));
        ledger.AddBatch(new BatchInfo { Id = "b1", Provider = "openai", Endpoint = "http://a/v1/", Model = "m", Status = "submitted", Requests = 2, Submitted = DateTimeOffset.UnixEpoch }, ["k1", "k2"]);
        ledger.SetErrors([("k2", "refused", "HTTP 400: bad")]);

        var found = ledger.Requests(["k1", "k2", "k3"]);

        Assert.Equal(2, found.Count);
        Assert.Equal(ledger.Request("k1"), found["k1"]);
        Assert.Equal(("b1", "refused", "HTTP 400: bad"), found["k2"]);
    }

    [Fact]
    public void Open_LedgerOfAnEarlierVersion_GainsTheInputFileAndLooksUpItsUnconfirmedBatches()
    {
        // Given a ledger written before the input file was recorded, holding a batch still "submitting" (then, a status
        // that covered the creation request too) and a confirmed one
        using var temp = new TempDir();
        var path = temp.File("c.db");
        using (var old = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            old.Open();
            using var create = old.CreateCommand();
            create.CommandText = """
                CREATE TABLE batches (id TEXT PRIMARY KEY, provider TEXT NOT NULL, endpoint TEXT NOT NULL, model TEXT NOT NULL, status TEXT NOT NULL,
                    requests INTEGER NOT NULL, submitted TEXT NOT NULL, collected INTEGER NOT NULL DEFAULT 0, message TEXT);
                CREATE TABLE batch_requests (key TEXT PRIMARY KEY, batch TEXT NOT NULL, error_kind TEXT, error TEXT);
                INSERT INTO batches VALUES ('lpp-1', 'openai', 'http://a/v1/', 'm', 'submitting', 2, '2026-01-01T00:00:00.0000000+00:00', 0, NULL);
                INSERT INTO batches VALUES ('batch_9', 'openai', 'http://a/v1/', 'm', 'in_progress', 1, '2026-01-01T00:00:01.0000000+00:00', 0, NULL);
                """;
            create.ExecuteNonQuery();
        }

        // When this version opens it (twice: the upgrade happens once)
        new BatchLedger(path).Dispose();
        using var ledger = new BatchLedger(path);

        // Then the unconfirmed batch is looked up before anything is submitted again, and the other is untouched
        var batches = ledger.Batches("openai", "http://a/v1/", "m");
        Assert.Equal([("lpp-1", BatchLedger.Creating, (string?)null), ("batch_9", "in_progress", null)], batches.Select(b => (b.Id, b.Status, b.InputFile)));
    }

    [Fact]
    public void FilesToDelete_KeptPerProviderAndEndpointUntilDeleted()
    {
        using var temp = new TempDir();
        using var ledger = new BatchLedger(temp.File("c.db"));
        var a = new BatchInfo { Id = "b1", Provider = "openai", Endpoint = "http://a/v1/", Model = "m", Status = "submitted", Requests = 1, Submitted = DateTimeOffset.UnixEpoch, InputFile = "file-in" };
        var b = a with { Id = "b2", Endpoint = "http://b/v1/", InputFile = "file-in-b" };
        ledger.AddBatch(a, ["k1"]);
        ledger.AddBatch(b, ["k2"]);

        ledger.SetCollected(a, "completed", null, ["file-in", "file-out"]);
        ledger.Forget(b);

        Assert.Equal(["file-in", "file-out"], ledger.FilesToDelete("openai", "http://a/v1/"));
        Assert.Equal(["file-in-b"], ledger.FilesToDelete("openai", "http://b/v1/"));
        Assert.Empty(ledger.FilesToDelete("openai-compatible", "http://a/v1/"));
        Assert.Empty(ledger.Batches("openai", "http://b/v1/", "m"));
        ledger.FileDeleted("openai", "http://a/v1/", "file-in");
        Assert.Equal(["file-out"], ledger.FilesToDelete("openai", "http://a/v1/"));
        Assert.True(ledger.Checkpoint());
    }
}
