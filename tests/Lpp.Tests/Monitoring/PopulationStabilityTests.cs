namespace Lpp.Tests;

public sealed class PopulationStabilityTests
{
    [Fact]
    public void Index_SameShares_IsZero()
    {
        Assert.Equal(0, PopulationStability.Index([0.2, 0.3, 0.5], [0.2, 0.3, 0.5]));
    }

    [Fact]
    public void Index_TwoBins_MatchesTheHandCalculation()
    {
        // Hand calculation: (0.25 - 0.5)·ln(0.25/0.5) + (0.75 - 0.5)·ln(0.75/0.5) = 0.2746530721670274
        var psi = PopulationStability.Index([0.5, 0.5], [0.25, 0.75]);

        Assert.Equal(0.2746530721670274, psi, 1e-12);
        Assert.Equal(psi, PopulationStability.Index([0.25, 0.75], [0.5, 0.5]), 1e-15);
    }

    [Fact]
    public void Index_EmptyReferenceBin_IsFlooredAtOneInTenThousand()
    {
        // Hand calculation with e = [1, 1e-4]: (0.5 - 1)·ln(0.5) + (0.5 - 1e-4)·ln(0.5/1e-4) = 4.60431846666895
        Assert.Equal(4.60431846666895, PopulationStability.Index([1, 0], [0.5, 0.5]), 1e-12);
    }

    [Fact]
    public void Index_BadShares_AreRefusedNamingThem()
    {
        var length = Assert.Throws<ArgumentException>(() => PopulationStability.Index([0.5, 0.5], [1]));
        Assert.Contains("has 1 values; expected 2", length.Message, StringComparison.Ordinal);
        var negative = Assert.Throws<ArgumentException>(() => PopulationStability.Index([0.5, 0.5], [1.5, -0.5]));
        Assert.StartsWith("share 1 is negative or not a number", negative.Message, StringComparison.Ordinal);
    }
}
