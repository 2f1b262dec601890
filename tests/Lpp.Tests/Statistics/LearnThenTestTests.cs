namespace Lpp.Tests;

public sealed class LearnThenTestTests
{
    [Fact]
    public void LowestThreshold_ErrorsAmongLowScores_MatchesTheReferenceLoop()
    {
        // Given 100 items scored 0..99, wrong at 0, 3, ..., 27 (10 errors among the lowest scores)
        var scores = Enumerable.Range(0, 100).Select(i => (double)i).ToArray();
        var correct = Enumerable.Range(0, 100).Select(i => !(i < 30 && i % 3 == 0)).ToArray();

        // When thresholds are tested from high to low at A = 0.1, confidence 0.9
        var threshold = LearnThenTest.LowestThreshold(scores, correct, 0.1, 0.9);

        // Then the lowest accepted is 16: the same fixed-sequence loop with scipy.stats.beta.ppf(0.9, k + 1, n − k)
        // as the bound (/usr/bin/python3, scipy 1.10.1) stops there
        Assert.Equal(16, threshold);
    }

    [Fact]
    public void LowestThreshold_FirstFailureStopsTheSequence()
    {
        // Given 30 right answers at the top, then 10 wrong ones, then 200 right ones: over all 240 the error rate is
        // 4% and would pass on its own, but the fixed sequence stops where the 10 errors push the bound above A
        var scores = Enumerable.Range(0, 240).Select(i => 240.0 - i).ToArray();
        var correct = Enumerable.Range(0, 240).Select(i => i < 30 || i >= 40).ToArray();

        // When tested at A = 0.1, confidence 0.9
        var threshold = LearnThenTest.LowestThreshold(scores, correct, 0.1, 0.9);

        // Then the last accepted threshold is the 30th score, 211: 0 errors in 30 give 1 − 0.1^(1/30) = 0.074 ≤ 0.1 (closed
        // form), and 1 error in 31 does not pass (scipy reference loop as above)
        Assert.Equal(211, threshold);
        Assert.True(BinomialInterval.Upper(10, 240, 0.9) <= 0.1, "the whole set alone would have passed");
    }

    [Fact]
    public void LowestThreshold_TooFewItems_TestsNothing()
    {
        // Given 21 right answers: even 0 errors need n ≥ ln(0.1)/ln(0.9) = 21.85 items to pass at A = 0.1, confidence 0.9
        var scores = Enumerable.Range(0, 21).Select(i => (double)i).ToArray();
        var correct = Enumerable.Repeat(true, 21).ToArray();

        Assert.True(double.IsNaN(LearnThenTest.LowestThreshold(scores, correct, 0.1, 0.9)));
        Assert.Equal(0, LearnThenTest.LowestThreshold([.. scores, 21], [.. correct, true], 0.1, 0.9));
    }

    [Fact]
    public void LowestThreshold_NaNScoresAreNeverTrusted()
    {
        // Given 30 right answers and 30 wrong ones without a score (abstentions), the wrong ones never count
        var scores = Enumerable.Range(0, 60).Select(i => i < 30 ? i : double.NaN).ToArray();
        var correct = Enumerable.Range(0, 60).Select(i => i < 30).ToArray();

        Assert.Equal(0, LearnThenTest.LowestThreshold(scores, correct, 0.1, 0.9));
        Assert.Equal((30, 0), LearnThenTest.TrustedAt(scores, correct, 0));
    }

    [Fact]
    public void LowestThreshold_TiedScoresEnterTogether()
    {
        // Given 40 right answers at score 1 and 40 wrong ones at score 1 too: no threshold separates them, so the
        // only candidate trusts all 80 with a 50% error rate and fails
        var scores = Enumerable.Repeat(1.0, 80).ToArray();
        var correct = Enumerable.Range(0, 80).Select(i => i < 40).ToArray();

        Assert.True(double.IsNaN(LearnThenTest.LowestThreshold(scores, correct, 0.1, 0.9)));
    }

    [Theory]
    [InlineData(0.0, 0.9)]
    [InlineData(1.0, 0.9)]
    [InlineData(0.1, 1.0)]
    public void LowestThreshold_BadLevels_Throw(double maxError, double confidence)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => LearnThenTest.LowestThreshold([0.5], [true], maxError, confidence));
    }
}
