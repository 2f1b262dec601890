using CsCheck;

namespace Lpp.Tests;

public sealed class StratifiedSplitTests
{
    [Fact]
    public void KFold_AnyLabels_FoldsAreDisjointCoverAllAndKeepClassRatios()
    {
        // Given random label vectors (3 classes, every class at least k rows), k and seeds
        var gen = Gen.Select(Gen.Int[0, 2].Array[30, 300], Gen.Int[2, 6], Gen.Int)
            .Where(t => Enumerable.Range(0, 3).All(c => t.Item1.Count(v => v == c) >= t.Item2));

        gen.Sample(t =>
        {
            var (y, k, seed) = t;

            // When split into k stratified folds
            var folds = StratifiedSplit.KFold(y, k, seed);

            // Then the test parts are disjoint and cover every row, each train part is the complement,
            // fold sizes differ by at most one, and each fold holds ⌊n_c/k⌋ or ⌈n_c/k⌉ rows of class c
            Assert.Equal(k, folds.Length);
            var allTest = folds.SelectMany(f => f.Test).Order().ToArray();
            Assert.Equal(Enumerable.Range(0, y.Length), allTest);
            foreach (var fold in folds)
            {
                Assert.Equal(Enumerable.Range(0, y.Length), fold.Train.Concat(fold.Test).Order());
                Assert.Equal(fold.Test.Order(), fold.Test);
                Assert.InRange(fold.Test.Length, y.Length / k, (y.Length + k - 1) / k);
                for (var c = 0; c < 3; c++)
                {
                    var n = y.Count(v => v == c);
                    Assert.InRange(fold.Test.Count(i => y[i] == c), n / k, (n + k - 1) / k);
                }
            }
        });
    }

    [Fact]
    public void KFold_Seed_IsDeterministicAndSeedSensitive()
    {
        int[] y = [.. Enumerable.Range(0, 60).Select(i => i % 3 == 0 ? 0 : 1)];

        var first = StratifiedSplit.KFold(y, 3, seed: 42);
        var again = StratifiedSplit.KFold(y, 3, seed: 42);
        var other = StratifiedSplit.KFold(y, 3, seed: 43);

        Assert.Equal(first, again);
        Assert.NotEqual(first[0].Test, other[0].Test);
    }

    [Fact]
    public void KFold_ClassSmallerThanK_ThrowsNamingClass()
    {
        var e = Assert.Throws<ArgumentException>(() => StratifiedSplit.KFold([0, 0, 1, 1, 1], 3, seed: 0));

        Assert.Contains("class 0 has 2 rows, fewer than the 3 folds", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TrainTest_AnyLabels_TestSizeIsCeilingAndClassesProportional()
    {
        // Given random binary labels with both classes, fractions and seeds
        var gen = Gen.Select(Gen.Int[0, 1].Array[10, 400], Gen.Double[0.05, 0.95], Gen.Int)
            .Where(t => t.Item1.Contains(0) && t.Item1.Contains(1) && Math.Ceiling(t.Item2 * t.Item1.Length) < t.Item1.Length);

        gen.Sample(t =>
        {
            var (y, fraction, seed) = t;

            // When split
            var split = StratifiedSplit.TrainTest(y, fraction, seed);

            // Then the parts are disjoint, sorted, cover everything, the test part has ⌈f·n⌉ rows
            // and each class contributes within one row of its proportional share
            var n = y.Length;
            var testCount = (int)Math.Ceiling(fraction * n);
            Assert.Equal(testCount, split.Test.Length);
            Assert.Equal(Enumerable.Range(0, n), split.Train.Concat(split.Test).Order());
            Assert.Equal(split.Test.Order(), split.Test);
            for (var c = 0; c < 2; c++)
            {
                var share = (double)testCount * y.Count(v => v == c) / n;
                Assert.InRange(split.Test.Count(i => y[i] == c), Math.Floor(share), Math.Ceiling(share));
            }
        });
    }

    [Fact]
    public void TrainTest_Seed_IsDeterministic()
    {
        int[] y = [.. Enumerable.Range(0, 100).Select(i => i % 4 == 0 ? 0 : 1)];

        Assert.Equal(StratifiedSplit.TrainTest(y, 0.25, 42).Test, StratifiedSplit.TrainTest(y, 0.25, 42).Test);
        Assert.NotEqual(StratifiedSplit.TrainTest(y, 0.25, 42).Test, StratifiedSplit.TrainTest(y, 0.25, 7).Test);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(1.0)]
    public void TrainTest_FractionOutOfRange_ThrowsNamingRange(double fraction)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => StratifiedSplit.TrainTest([0, 1, 0, 1], fraction, 0));

        Assert.Contains("strictly between 0 and 1", e.Message, StringComparison.Ordinal);
    }
}
