namespace Lpp.Tests;

public sealed class RidgeGramTests
{
    [Fact]
    public void Compute_RowSubset_EqualsStatisticsOfTheCopiedRows()
    {
        // Given data and a subset of its rows
        var (x, y) = RidgeClassifierTrainerTests.RandomData(seed: 21, rows: 150, columns: 7);
        int[] rows = [.. Enumerable.Range(0, 150).Where(i => i % 3 != 1)];
        var trainer = new RidgeClassifierTrainer(new() { Alpha = 0.5, ClassWeight = ClassWeight.Balanced });

        // When statistics are computed over the subset in place and over a copy of it
        var inPlace = RidgeGram.Compute(x, y, rows);
        var copied = RidgeGram.Compute(x.SelectRows(rows), [.. rows.Select(r => y[r])]);

        // Then they count the same rows and give the same fit (identical arithmetic)
        Assert.Equal((copied.Class0Count, copied.Class1Count), (inPlace.Class0Count, inPlace.Class1Count));
        Assert.Equal(7, inPlace.Features);
        Assert.Equal(trainer.Fit(copied).Coefficients, trainer.Fit(inPlace).Coefficients);
        Assert.Equal(trainer.Fit(copied).Intercept, trainer.Fit(inPlace).Intercept);
    }

    [Fact]
    public void Compute_ManyAlphasAndWeights_EachMatchesDirectFit()
    {
        // Given the paper's grid: 4 alphas × 7 class weights, statistics computed once
        var (x, y) = RidgeClassifierTrainerTests.RandomData(seed: 22, rows: 300, columns: 10);
        var gram = RidgeGram.Compute(x, y);
        ClassWeight[] weights = [.. new[] { 0.5, 0.8, 1.0, 1.2, 1.5 }.Select(m => ClassWeight.Explicit(0.64 * m, 1)), ClassWeight.Balanced, ClassWeight.None];

        foreach (var alpha in new[] { 0.1, 1.0, 10.0, 100.0 })
        {
            foreach (var weight in weights)
            {
                // When each setting is solved from the statistics
                var trainer = new RidgeClassifierTrainer(new() { Alpha = alpha, ClassWeight = weight });

                // Then it equals the direct fit (closed form, 1e-10 relative)
                Close.Relative([.. trainer.Fit(x, y).Coefficients], [.. trainer.Fit(gram).Coefficients], 1e-10);
            }
        }
    }

    [Fact]
    public void Compute_SubsetWithOneClass_ThrowsNamingCounts()
    {
        var x = new FeatureMatrix(4, 1, [1, 2, 3, 4]);

        var e = Assert.Throws<ArgumentException>(() => RidgeGram.Compute(x, [0, 0, 1, 1], [2, 3]));

        Assert.Contains("got 0 of class 0 and 2 of class 1", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Compute_RowOutOfRange_ThrowsNamingRow()
    {
        var x = new FeatureMatrix(2, 1, [1, 2]);

        var e = Assert.Throws<ArgumentOutOfRangeException>(() => RidgeGram.Compute(x, [0, 1], [0, 5]));

        Assert.Contains("row index 5 is outside 0..1", e.Message, StringComparison.Ordinal);
    }
}
