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
}
