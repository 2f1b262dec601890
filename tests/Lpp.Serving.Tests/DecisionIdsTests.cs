namespace Lpp.Serving.Tests;

public sealed class DecisionIdsTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);

    [Fact]
    public void New_AnyTime_IsVersion7WithHeadroomForConsecutiveIds()
    {
        // Given / When many first ids
        var ids = Enumerable.Range(0, 200).Select(_ => DecisionIds.New(Now)).ToList();

        // Then each is a version 7, RFC variant UUID with bit 61 of its low half clear, time first
        Assert.All(ids, id =>
        {
            var key = DecisionIds.Key(id);
            Assert.Equal(7, id.Version);
            Assert.Equal(0x80, key[8] & 0xC0);
            Assert.Equal(0, key[8] & 0x20);
            Assert.Equal(Now.ToUnixTimeMilliseconds(), (long)System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(key) >> 16);
        });
    }

    [Fact]
    public void Nth_ThenOffset_GivesBackK()
    {
        // Given a first id
        var first = DecisionIds.New(Now);
        var key = DecisionIds.Key(first);

        // When the ids of decisions 0, 1 and 9,999 are made
        var ids = new[] { 0, 1, 9_999 }.Select(k => DecisionIds.Nth(first, k)).ToList();

        // Then each is its own version 7 id, its offset from the first is k, and an id before the first has none
        Assert.Equal(first, ids[0]);
        Assert.Equal([0L, 1L, 9_999L], ids.Select(id => DecisionIds.Offset(key, DecisionIds.Key(id))));
        Assert.All(ids, id => Assert.Equal(7, id.Version));
        Assert.Equal(-1, DecisionIds.Offset(DecisionIds.Key(ids[1]), key));
        Assert.Equal(-1, DecisionIds.Offset(key, DecisionIds.Key(DecisionIds.New(Now.AddMilliseconds(1)))));
    }
}
