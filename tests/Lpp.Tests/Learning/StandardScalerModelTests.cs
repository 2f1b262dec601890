namespace Lpp.Tests;

public sealed class StandardScalerModelTests
{
    [Fact]
    public void Transform_Matrix_CentresAndScales()
    {
        // Given mean (1, −2) and scale (2, 4)
        var model = new StandardScalerModel([1.0, -2], [2.0, 4]);

        // When (3, 2) is transformed
        var z = model.Transform(new FeatureMatrix(1, 2, [3, 2]));

        // Then z = ((3 − 1)/2, (2 + 2)/4)
        Assert.Equal([1.0, 1], z.AsSpan().ToArray());
    }

    [Fact]
    public void Transform_RowInPlace_EqualsMatrixTransform()
    {
        var model = new StandardScalerModel([1.0, -2], [2.0, 4]);
        double[] row = [0, 0];

        model.Transform(row, row);

        Assert.Equal([-0.5, 0.5], row);
    }

    [Fact]
    public void Transform_WrongWidth_Throws()
    {
        var model = new StandardScalerModel([1.0], [1.0]);

        var e = Assert.Throws<ArgumentException>(() => model.Transform(new FeatureMatrix(1, 2, [0, 0])));

        Assert.Contains("x has 2 columns; expected 1", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_ZeroScale_ThrowsNamingColumn()
    {
        var e = Assert.Throws<ArgumentException>(() => new StandardScalerModel([0.0, 0], [1.0, 0]));

        Assert.Contains("scale of column 1 is 0", e.Message, StringComparison.Ordinal);
    }
}
