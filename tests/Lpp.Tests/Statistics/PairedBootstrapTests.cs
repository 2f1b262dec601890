namespace Lpp.Tests;

public sealed class PairedBootstrapTests
{
    [Fact]
    public void ProbabilityLower_CheaperOnEveryItem_IsOne()
    {
        // Given a candidate cheaper than the reference on every item, every resample's sum is lower
        Assert.Equal(1.0, PairedBootstrap.ProbabilityLower([0, 0.36, 0], [0.64, 0.64, 1], 500, seed: 1));
    }

    [Fact]
    public void ProbabilityLower_Identical_IsZeroBecauseTiesAreNotLower()
    {
        Assert.Equal(0.0, PairedBootstrap.ProbabilityLower([0.64, 1, 0], [0.64, 1, 0], 500, seed: 1));
    }

    [Fact]
    public void ProbabilityLower_TwoItems_MatchesTheEnumeratedResamples()
    {
        // Given differences −1 and +2: a resample of 2 is lower only when it draws the first item twice, probability 1/4
        // (enumeration of the 4 equally likely ordered draws); 4,000 draws put the estimate within 0.035 (5 binomial sd)
        var p = PairedBootstrap.ProbabilityLower([0, 2], [1, 0], 4000, seed: 42);

        Assert.InRange(p, 0.25 - 0.035, 0.25 + 0.035);
    }

    [Fact]
    public void ProbabilityLower_SameSeed_SameAnswer()
    {
        var random = new Random(5);
        var a = Enumerable.Range(0, 300).Select(_ => random.NextDouble()).ToArray();
        var b = Enumerable.Range(0, 300).Select(_ => random.NextDouble()).ToArray();

        Assert.Equal(PairedBootstrap.ProbabilityLower(a, b, 300, 9), PairedBootstrap.ProbabilityLower(a, b, 300, 9));
    }

    [Fact]
    public void ProbabilityLower_LengthsDiffer_Throws()
    {
        Assert.Throws<ArgumentException>(() => PairedBootstrap.ProbabilityLower([1, 2], [1], 10, 1));
        Assert.Throws<ArgumentException>(() => PairedBootstrap.ProbabilityLower([], [], 10, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => PairedBootstrap.ProbabilityLower([1], [1], 0, 1));
    }
}
