namespace Lpp.Inference.Tests;

public sealed class ShardTests
{
    [Fact]
    public void Of_KnownVector_IsFnv1a64ModuloN()
    {
        // FNV-1a 64 of "a" is 0xaf63dc4c8601ec8c (the FNV reference test vectors); mod 7 = 5, mod 1000 = 996 (by hand in Python)
        Assert.Equal(5, Shard.Of("a", 7));
        Assert.Equal(996, Shard.Of("a", 1000));
    }

    [Fact]
    public void Contains_EveryIdBelongsToExactlyOneShard()
    {
        var shards = Enumerable.Range(1, 3).Select(k => Shard.Parse($"{k}/3")).ToArray();
        var ids = Enumerable.Range(0, 3000).Select(i => $"item-{i}/H").ToList();

        var owners = ids.Select(id => shards.Count(s => s.Contains(id))).ToList();

        Assert.All(owners, n => Assert.Equal(1, n));
        Assert.All(shards, s => Assert.InRange(ids.Count(s.Contains), 850, 1150));
    }

    [Theory]
    [InlineData("0/3")]
    [InlineData("4/3")]
    [InlineData("1/0")]
    [InlineData("a/b")]
    [InlineData("1/2/3")]
    [InlineData("-1/2")]
    [InlineData("")]
    public void Parse_OutOfRange_IsRefused(string text)
    {
        var e = Assert.Throws<FormatException>(() => Shard.Parse(text));

        Assert.Equal($"'{text}' is not K/N with 1 <= K <= N", e.Message);
    }
}
