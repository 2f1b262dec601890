using Microsoft.Data.Sqlite;

namespace Lpp.Inference.Tests;

public sealed class ResponseCacheTests
{
    internal static void ClearSqlitePools() => SqliteConnection.ClearAllPools();

    [Fact]
    public void Put_ThenReopen_ReturnsTheBody()
    {
        using var temp = new TempDir();
        var key = ResponseCache.Key("openai", "https://api.openai.com/v1/", "gpt-4o-mini", "{\"a\":1}");
        using (var cache = new ResponseCache(temp.File("c.db")))
        {
            cache.Put(key, "openai", "gpt-4o-mini", "{\"body\":true}", DateTimeOffset.UnixEpoch);
        }

        using var reopened = new ResponseCache(temp.File("c.db"));

        Assert.Equal("{\"body\":true}", reopened.TryGet(key));
        Assert.Null(reopened.TryGet(ResponseCache.Key("openai", "https://api.openai.com/v1/", "gpt-4o-mini", "{\"a\":2}")));
        Assert.Equal(1, reopened.Count());
    }

    [Fact]
    public void Key_DependsOnProviderBaseUrlModelAndBody()
    {
        var key = ResponseCache.Key("openai", "http://a/v1/", "m", "b");

        Assert.Equal(64, key.Length);
        Assert.NotEqual(key, ResponseCache.Key("gemini", "http://a/v1/", "m", "b"));
        Assert.NotEqual(key, ResponseCache.Key("openai", "http://b/v1/", "m", "b"));
        Assert.NotEqual(key, ResponseCache.Key("openai", "http://a/v1/", "n", "b"));
        Assert.NotEqual(key, ResponseCache.Key("openai", "http://a/v1/", "m", "c"));
        Assert.Equal(key, ResponseCache.Key("openai", "http://a/v1/", "m", "b"));
    }

    [Fact]
    public void PutMany_ThenPut_StoresEveryBodyAndKeepsTheSingleStatementUsable()
    {
        using var temp = new TempDir();
        using var cache = new ResponseCache(temp.File("c.db"));

        cache.PutMany([("k1", "{\"a\":1}"), ("k2", "{\"a\":2}"), ("k1", "{\"a\":3}")], "openai", "m", DateTimeOffset.UnixEpoch);
        cache.Put("k4", "openai", "m", "{\"a\":4}", DateTimeOffset.UnixEpoch);

        Assert.Equal("{\"a\":3}", cache.TryGet("k1"));
        Assert.Equal("{\"a\":2}", cache.TryGet("k2"));
        Assert.Equal("{\"a\":4}", cache.TryGet("k4"));
        Assert.Equal(3, cache.Count());
    }

    [Fact]
    public void Present_ManyKeys_AreTheStoredOnesInOneQuery()
    {
        using var temp = new TempDir();
        using var cache = new ResponseCache(temp.File("c.db"));
        cache.PutMany([("k1", "{}"), ("k3", "{}")], "openai", "m", DateTimeOffset.UnixEpoch);

        Assert.Equal(["k1", "k3"], cache.Present(["k1", "k2", "k3", "k'4"]).Order());
        Assert.Empty(cache.Present([]));
        var e = Assert.Throws<ArgumentException>(() => cache.Present([.. Enumerable.Range(0, ResponseCache.MaxKeysPerQuery + 1).Select(i => "k" + i)]));
        Assert.StartsWith("1001 keys in one query (at most 1000)", e.Message, StringComparison.Ordinal);
    }
}
