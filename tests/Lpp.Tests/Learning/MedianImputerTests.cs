namespace Lpp.Tests;

public sealed class MedianImputerTests
{
    [Fact]
    public void Fit_OddAndEvenCounts_TakesNumpyNanMedian()
    {
        // Given column 0 with present 5, 1, 3 (and a NaN) and column 1 with present 4, 1, 2, 10
        var x = FeatureMatrix.FromRows([[5.0, 4], [double.NaN, 1], [1.0, 2], [3.0, 10]]);

        // When fitted
        var model = MedianImputer.Fit(x);

        // Then the medians are 3 and (2 + 4)/2 (numpy nanmedian, exact)
        Assert.Equal([3.0, 3.0], model.Medians);
        Assert.Empty(model.AllMissingColumns);
    }

    [Fact]
    public void Fit_AllMissingColumn_FallsBackToZeroAndIsListed()
    {
        // Given a column with no present value
        var x = FeatureMatrix.FromRows([[1.0, double.NaN], [2.0, double.NaN]]);

        // When fitted and applied
        var model = MedianImputer.Fit(x);
        var imputed = model.Transform(x);

        // Then the column is listed and imputes the documented fallback 0
        Assert.Equal([1], model.AllMissingColumns);
        Assert.True(double.IsNaN(model.Medians[1]));
        Assert.Equal(MedianImputerModel.AllMissingFallback, imputed[0, 1]);
        Assert.Equal(0.0, imputed[1, 1]);
    }

    [Fact]
    public void Fit_Infinity_ThrowsNamingCell()
    {
        var x = FeatureMatrix.FromRows([[1.0], [double.PositiveInfinity]]);

        var e = Assert.Throws<ArgumentException>(() => MedianImputer.Fit(x));

        Assert.Contains("row 1, column 0", e.Message, StringComparison.Ordinal);
    }
}
