namespace Lpp.Tests;

public sealed class DenseMathTests
{
    [Fact]
    public void Dot_EveryLength_MatchesScalarSum()
    {
        // Given lengths around the vector width (0..40), then the vectorised dot equals the plain sum (1e-14 relative)
        for (var n = 0; n < 41; n++)
        {
            var a = Enumerable.Range(0, n).Select(i => (i * 0.5) - 3).ToArray();
            var b = Enumerable.Range(0, n).Select(i => Math.Cos(i)).ToArray();
            var expected = a.Zip(b).Sum(p => p.First * p.Second);

            var actual = DenseMath.Dot(a, b);

            Assert.True(Math.Abs(actual - expected) <= 1e-14 * Math.Max(1, Math.Abs(expected)), $"n = {n}: {actual} vs {expected}");
        }
    }

    [Fact]
    public void CholeskySolve_PositiveDefinite_SolvesTheSystem()
    {
        // Given A = [[4, 2, 0.4], [2, 5, 1], [0.4, 1, 3]] (lower triangle used) and b = A·(1, −2, 3)
        double[] a = [4, 2, 0.4, 2, 5, 1, 0.4, 1, 3];
        double[] b = [(4 * 1) + (2 * -2) + (0.4 * 3), (2 * 1) + (5 * -2) + (1 * 3), (0.4 * 1) + (1 * -2) + (3 * 3)];

        // When solved
        DenseMath.CholeskySolve(a, b, 3);

        // Then x = (1, −2, 3) (closed form, 1e-14)
        Close.Absolute([1.0, -2, 3], b, 1e-14);
    }

    [Fact]
    public void CholeskySolve_NotPositiveDefinite_ThrowsNamingColumn()
    {
        double[] a = [1, 2, 2, 1];

        var e = Assert.Throws<ArgumentException>(() => DenseMath.CholeskySolve(a, new double[2], 2));

        Assert.Contains("not positive definite", e.Message, StringComparison.Ordinal);
        Assert.Contains("column 1", e.Message, StringComparison.Ordinal);
    }
}
