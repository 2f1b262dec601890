namespace Lpp.Tests;

public sealed class PlattCalibratorTests
{
    [Fact]
    public void Probability_Score_IsSigmoidOfMinusAffine()
    {
        // Given a = −2, b = 0.5
        var platt = new PlattCalibrator(-2, 0.5);

        // Then p(f) = 1/(1 + exp(a·f + b)) (closed form, 1e-15) and p(0.25) = 1/2 exactly
        Close.Absolute(1 / (1 + Math.Exp((-2 * 1.5) + 0.5)), platt.Probability(1.5), 1e-15);
        Assert.Equal(0.5, platt.Probability(0.25));
        Assert.Equal(CalibrationMethod.Sigmoid, platt.Method);
    }

    [Fact]
    public void Probability_ExtremeScores_SaturateWithoutNaN()
    {
        var platt = new PlattCalibrator(-1, 0);

        Assert.Equal(1.0, platt.Probability(1e6));
        Assert.Equal(0.0, platt.Probability(-1e6));
    }

    [Fact]
    public void Constructor_NaN_ThrowsNamingParameter()
    {
        var e = Assert.Throws<ArgumentException>(() => new PlattCalibrator(double.NaN, 0));

        Assert.Contains("slope a is NaN", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_NonFiniteOffset_ThrowsNamingIt()
    {
        var e = Assert.Throws<ArgumentException>(() => new PlattCalibrator(-1, double.NaN));

        Assert.Equal("b", e.ParamName);
        Assert.StartsWith("Platt offset b is NaN, not finite", e.Message, StringComparison.Ordinal);
        Assert.Equal("a", Assert.Throws<ArgumentException>(() => new PlattCalibrator(double.NegativeInfinity, 0)).ParamName);
    }
}
