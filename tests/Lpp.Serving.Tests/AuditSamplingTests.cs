namespace Lpp.Serving.Tests;

public sealed class AuditSamplingTests
{
    [Fact]
    public void Hash_KnownId_MatchesSha256OfItsHexDigits()
    {
        // Given a decision id
        var id = Guid.ParseExact("0190a1b2c3d4e5f60718293a4b5c6d7e", "N");

        // When hashed, then it is the first 53 bits of SHA-256 of its 32 hex digits as a fraction of 2^53:
        // printf %s 0190a1b2c3d4e5f60718293a4b5c6d7e | sha256sum -> cad93ca0b6ac33ec...,
        // python3: (int.from_bytes(digest[:8], 'big') >> 11) / 2**53 = 0.7923772709242918 (exact)
        Assert.Equal(0.7923772709242918, AuditSampling.Hash(id));
        Assert.True(AuditSampling.Selected(id, 0.8));
        Assert.False(AuditSampling.Selected(id, 0.79));
    }

    [Fact]
    public void Selected_RateZeroAndOne_NeverAndAlways()
    {
        // Given 1,000 consecutive ids (as a batch gets)
        var first = DecisionIds.New(new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero));
        var ids = Enumerable.Range(0, 1000).Select(k => DecisionIds.Nth(first, k)).ToList();

        // Then rate 0 samples none and rate 1 all
        Assert.DoesNotContain(ids, id => AuditSampling.Selected(id, 0));
        Assert.All(ids, id => Assert.True(AuditSampling.Selected(id, 1)));
    }

    [Fact]
    public void Selected_ConsecutiveIds_ShareNearTheRate()
    {
        // Given 100,000 consecutive ids (one batch's ids differ in their last bits only)
        var first = DecisionIds.New(new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero));
        var sampled = Enumerable.Range(0, 100_000).Count(k => AuditSampling.Selected(DecisionIds.Nth(first, k), 0.1));

        // Then the share is 0.1 within 5 binomial standard deviations: sqrt(0.1 * 0.9 / 100,000) = 0.00095
        Assert.InRange(sampled / 100_000.0, 0.1 - (5 * 0.00095), 0.1 + (5 * 0.00095));
    }
}
