namespace Lpp.Tests;

public sealed class MedianImputerModelTests
{
    [Fact]
    public void Transform_MissingAndPresent_ImputesOnlyMissing()
    {
        // Given medians (7, −1)
        var model = new MedianImputerModel([7.0, -1]);

        // When a row with one missing value is transformed
        double[] destination = new double[2];
        model.Transform([double.NaN, 4], destination);

        // Then the missing value takes its column median and the present one passes through
        Assert.Equal([7.0, 4], destination);
    }

    [Fact]
    public void Transform_Infinity_ThrowsNamingCell()
    {
        var model = new MedianImputerModel([0.0, 0]);

        var e = Assert.Throws<ArgumentException>(() => model.Transform(FeatureMatrix.FromRows([[0.0, 0], [0.0, double.NegativeInfinity]])));

        Assert.Contains("row 1, column 1", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Transform_WrongWidth_Throws()
    {
        var model = new MedianImputerModel([0.0]);

        Assert.Throws<ArgumentException>(() => model.Transform(new FeatureMatrix(1, 2, [0, 0])));
    }
}
