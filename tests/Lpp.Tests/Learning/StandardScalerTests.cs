namespace Lpp.Tests;

public sealed class StandardScalerTests
{
    [Fact]
    public void Fit_SklearnOnStoredX_MatchesMeanAndScale()
    {
        // scikit-learn 1.2.1 StandardScaler on the stored X, ../shared/parity/sklearn-meta-model.json, 1e-12 relative
        var parity = SklearnParity.Load();

        var model = StandardScaler.Fit(parity.X);

        Close.Relative(parity.ScalerMean, [.. model.Mean], 1e-12);
        Close.Relative(parity.ScalerScale, [.. model.Scale], 1e-12);
    }

    [Fact]
    public void Fit_SharedParityFile_MatchesWithinItsInputRounding()
    {
        // scikit-learn 1.2.1 StandardScaler, ../shared/parity/sklearn-meta-model.json, 1e-8 relative
        // (the file stores X rounded to 8 decimals; its mean and scale come from the unrounded X and differ by up to 1.1e-9)
        var parity = SklearnParity.Load();

        var model = StandardScaler.Fit(parity.X);

        Close.Relative(parity.ScalerMean, [.. model.Mean], 1e-8);
        Close.Relative(parity.ScalerScale, [.. model.Scale], 1e-8);
    }

    [Fact]
    public void Fit_SmallColumn_UsesPopulationStandardDeviation()
    {
        // Given the column 1, 2, 3, 4
        var x = new FeatureMatrix(4, 1, [1, 2, 3, 4]);

        // When fitted
        var model = StandardScaler.Fit(x);

        // Then mean 2.5 and scale √(5/4) (ddof = 0, closed form, 1e-15)
        Assert.Equal(2.5, model.Mean[0]);
        Close.Relative(Math.Sqrt(1.25), model.Scale[0], 1e-15);
    }

    [Fact]
    public void Fit_ConstantColumn_ScaleIsOne()
    {
        // Given a constant column (0.1 three times, whose rounding leaves a tiny nonzero variance)
        var x = new FeatureMatrix(3, 2, [0.1, 1, 0.1, 2, 0.1, 3]);

        // When fitted
        var model = StandardScaler.Fit(x);

        // Then its scale is 1, as sklearn
        Assert.Equal(1.0, model.Scale[0]);
        Assert.NotEqual(1.0, model.Scale[1]);
    }

    [Fact]
    public void Fit_MissingValue_ThrowsNamingCell()
    {
        var x = new FeatureMatrix(2, 1, [1, double.NaN]);

        var e = Assert.Throws<ArgumentException>(() => StandardScaler.Fit(x));

        Assert.Contains("row 1, column 0 is NaN; impute missing values before scaling", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Fit_NoRows_Throws()
    {
        var e = Assert.Throws<ArgumentException>(() => StandardScaler.Fit(new FeatureMatrix(0, 2, [])));

        Assert.Contains("0 rows", e.Message, StringComparison.Ordinal);
    }
}
