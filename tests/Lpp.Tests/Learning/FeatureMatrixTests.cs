namespace Lpp.Tests;

public sealed class FeatureMatrixTests
{
    [Fact]
    public void FromRows_Rows_AreStoredRowMajor()
    {
        // Given two rows of three values
        var x = FeatureMatrix.FromRows([[1.0, 2, 3], [4.0, 5, 6]]);

        // Then the shape, cells, rows and flat order follow the input
        Assert.Equal((2, 3), (x.Rows, x.Columns));
        Assert.Equal(6, x[1, 2]);
        Assert.Equal([4.0, 5, 6], x.Row(1).ToArray());
        Assert.Equal([1.0, 2, 3, 4, 5, 6], x.AsSpan().ToArray());
    }

    [Fact]
    public void FromRows_RaggedRows_ThrowsNamingRow()
    {
        var e = Assert.Throws<ArgumentException>(() => FeatureMatrix.FromRows([[1.0, 2], [3.0]]));

        Assert.Contains("row 1 has 1 values, row 0 has 2", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_WrongValueCount_Throws()
    {
        var e = Assert.Throws<ArgumentException>(() => new FeatureMatrix(2, 2, [1, 2, 3]));

        Assert.Contains("3 values do not fill 2 rows × 2 columns", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_Values_AreCopied()
    {
        // Given a source array
        double[] values = [1, 2];
        var x = new FeatureMatrix(1, 2, values);

        // When the source changes afterwards
        values[0] = 99;

        // Then the matrix does not
        Assert.Equal(1, x[0, 0]);
    }

    [Fact]
    public void SelectRows_Indices_CopiesInGivenOrder()
    {
        // Given three rows
        var x = FeatureMatrix.FromRows([[1.0], [2.0], [3.0]]);

        // When rows 2, 0, 2 are selected
        var selected = x.SelectRows([2, 0, 2]);

        // Then they come in that order
        Assert.Equal([3.0, 1, 3], selected.AsSpan().ToArray());
    }

    [Fact]
    public void Indexer_OutOfRange_Throws()
    {
        var x = new FeatureMatrix(1, 1, [1]);

        Assert.Throws<ArgumentOutOfRangeException>(() => x[1, 0]);
    }
}
