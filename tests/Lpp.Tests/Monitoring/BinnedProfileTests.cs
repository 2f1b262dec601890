namespace Lpp.Tests;

public sealed class BinnedProfileTests
{
    [Fact]
    public void Fit_OneToTen_FiveBins_CutsAtEveryOtherValue()
    {
        // Hand calculation: ranks ⌈j·10/5⌉ = 2, 4, 6, 8 of 1..10 give the edges 2, 4, 6, 8; two values per bin
        var profile = BinnedProfile.Fit("x", [10, 9, 8, 7, 6, 5, 4, 3, 2, 1], bins: 5);

        Assert.Equal([2.0, 4, 6, 8], profile.Edges);
        Assert.Equal([0.2, 0.2, 0.2, 0.2, 0.2], profile.Shares);
        Assert.Equal(0, profile.MissingShare);
    }

    [Fact]
    public void Fit_Indicator_GetsOneBinPerValue()
    {
        // Given 7 zeros and 3 ones: every decile edge is 0 or 1; 1 is the largest value, so the only edge is 0
        double[] values = [0, 0, 0, 0, 0, 0, 0, 1, 1, 1];

        var profile = BinnedProfile.Fit("band_h", values);

        Assert.Equal([0.0], profile.Edges);
        Assert.Equal([0.7, 0.3], profile.Shares);
    }

    [Fact]
    public void Fit_MissingValues_AreTheirOwnShare()
    {
        var profile = BinnedProfile.Fit("reasoning_nll", [double.NaN, 1, 2, double.NaN], bins: 2);

        // Present values 1, 2: rank ⌈1·2/2⌉ = 1 gives the edge 1; shares of all four values
        Assert.Equal([1.0], profile.Edges);
        Assert.Equal([0.25, 0.25], profile.Shares);
        Assert.Equal(0.5, profile.MissingShare);
    }

    [Fact]
    public void BinOf_ValueOnAnEdge_FallsInTheBinBelowIt()
    {
        var profile = new BinnedProfile("x", [1.0, 2.0], [0.3, 0.3, 0.4], 0);

        Assert.Equal(0, profile.BinOf(-5));
        Assert.Equal(0, profile.BinOf(1));
        Assert.Equal(1, profile.BinOf(1.5));
        Assert.Equal(1, profile.BinOf(2));
        Assert.Equal(2, profile.BinOf(2.0001));
    }

    [Fact]
    public void Psi_SameSample_IsZero_ShiftedSample_IsLarge()
    {
        // Given a profile of 1,000 uniform values
        var rng = new Random(7);
        var reference = Enumerable.Range(0, 1000).Select(_ => rng.NextDouble()).ToArray();
        var profile = BinnedProfile.Fit("x", reference);

        // When the same values and values shifted by half the range are counted
        var same = new BinCounter(profile);
        var shifted = new BinCounter(profile);
        foreach (var v in reference)
        {
            same.Add(v);
            shifted.Add(v + 0.5);
        }

        // Then the first has PSI 0; the second puts half its mass above the top edge (share 0.1 expected): PSI
        // above 0.2 (hand bound: the top bin alone gives (0.55 - 0.1)·ln(5.5) ≈ 0.77)
        Assert.Equal(0, profile.Psi(same), 1e-12);
        Assert.True(profile.Psi(shifted) > 0.7, $"PSI {profile.Psi(shifted)}");
    }

    [Fact]
    public void Psi_MissingShareChanges_CountsAsDrift()
    {
        // Given a reference with no missing values and traffic where half the values are missing
        var profile = BinnedProfile.Fit("x", [1, 2, 3, 4], bins: 2);
        var counter = new BinCounter(profile);
        foreach (var v in new[] { 1, double.NaN, 3, double.NaN })
        {
            counter.Add(v);
        }

        // Then the PSI is that of [0.5, 0.5, 0] against [0.25, 0.25, 0.5] (hand: 2·0.25·ln 2 + (0.5 - 1e-4)·ln(0.5/1e-4))
        var expected = (2 * 0.25 * Math.Log(2)) + ((0.5 - 1e-4) * Math.Log(0.5 / 1e-4));
        Assert.Equal(expected, profile.Psi(counter), 1e-12);
    }

    [Fact]
    public void Psi_ProfileOf5000000Bins_DoesNotOverflowTheStack()
    {
        // Given a profile of 5,000,000 equal bins (a model file's training profile says how many there are) and traffic
        // of one value, in the first bin
        const int bins = 5_000_000;
        var profile = new BinnedProfile("x", [.. Enumerable.Range(1, bins - 1).Select(i => (double)i)], [.. Enumerable.Repeat(1.0 / bins, bins)], 0);
        var counter = new BinCounter(profile);
        counter.Add(0.5);

        // Then the PSI is computed. Every expected share, 2e-7, is floored at 1e-4, so only the first bin counts (hand:
        // (1 - 1e-4)·ln(1 / 1e-4); the other bins and the missing category give (1e-4 - 1e-4)·ln 1 = 0)
        Assert.Equal((1 - 1e-4) * Math.Log(1e4), profile.Psi(counter), 9);
    }

    [Fact]
    public void Fit_BadInput_IsRefused()
    {
        Assert.Throws<ArgumentException>(() => BinnedProfile.Fit("x", []));
        Assert.Throws<ArgumentException>(() => BinnedProfile.Fit("x", [1, double.PositiveInfinity]));
        Assert.Throws<ArgumentOutOfRangeException>(() => BinnedProfile.Fit("x", [1], bins: 1));
    }
}
