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
}
