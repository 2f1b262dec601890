namespace Lpp.Tests;

public sealed class IsotonicCalibratorTests
{
    [Fact]
    public void Probability_BetweenAndAtPoints_InterpolatesLinearly()
    {
        // Given points (0, 0.1), (2, 0.5), (3, 0.9)
        var isotonic = new IsotonicCalibrator([0.0, 2, 3], [0.1, 0.5, 0.9]);

        // Then points map to their values and scores between them interpolate (closed form, 1e-15)
        Close.Absolute(0.5, isotonic.Probability(2), 1e-15);
        Close.Absolute(0.3, isotonic.Probability(1), 1e-15);
        Close.Absolute(0.7, isotonic.Probability(2.5), 1e-15);
        Assert.Equal(CalibrationMethod.Isotonic, isotonic.Method);
    }

    [Fact]
    public void Probability_OutsideRange_ClipsAndNaNStaysNaN()
    {
        var isotonic = new IsotonicCalibrator([0.0, 1], [0.2, 0.6]);

        Assert.Equal(0.2, isotonic.Probability(-5));
        Assert.Equal(0.6, isotonic.Probability(5));
        Assert.True(double.IsNaN(isotonic.Probability(double.NaN)));
    }

    [Fact]
    public void Probability_SinglePoint_IsConstant()
    {
        var isotonic = new IsotonicCalibrator([1.0], [0.4]);

        Assert.Equal(0.4, isotonic.Probability(-3));
        Assert.Equal(0.4, isotonic.Probability(8));

        // A missing score stays missing here too
        Assert.True(double.IsNaN(isotonic.Probability(double.NaN)));
    }

    [Fact]
    public void Constructor_DecreasingValues_ThrowsNamingIndex()
    {
        var e = Assert.Throws<ArgumentException>(() => new IsotonicCalibrator([0.0, 1], [0.6, 0.2]));

        Assert.Contains("value 1 is 0.2", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_RepeatedThreshold_ThrowsNamingIndex()
    {
        var e = Assert.Throws<ArgumentException>(() => new IsotonicCalibrator([0.0, 0], [0.1, 0.2]));

        Assert.Contains("threshold 1 is 0", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new double[0], new double[0], "thresholds and values must be non-empty and of the same length")]
    [InlineData(new[] { 0.0, 1 }, new[] { 0.5 }, "thresholds and values must be non-empty and of the same length")]
    [InlineData(new[] { double.NaN, 1 }, new[] { 0.1, 0.2 }, "threshold 0 is NaN; thresholds must be finite and strictly increasing")]
    [InlineData(new[] { 0.0, double.PositiveInfinity }, new[] { 0.1, 0.2 }, "threshold 1 is ")]
    [InlineData(new[] { 0.0, 1 }, new[] { -0.1, 0.2 }, "value 0 is -0.1; values must be in [0, 1] and non-decreasing")]
    [InlineData(new[] { 0.0, 1 }, new[] { 0.1, 1.5 }, "value 1 is 1.5; values must be in [0, 1] and non-decreasing")]
    [InlineData(new[] { 0.0, 1 }, new[] { 0.1, double.NaN }, "value 1 is NaN; values must be in [0, 1] and non-decreasing")]
    public void Constructor_BadPoints_ThrowsWithTheReason(double[] thresholds, double[] values, string message)
    {
        var e = Assert.Throws<ArgumentException>(() => new IsotonicCalibrator([.. thresholds], [.. values]));

        Assert.StartsWith(message, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_ValuesAtBothEndsOfTheRangeAndFlat_AreAccepted()
    {
        // Given values exactly 0 and 1 and a flat run, all allowed
        var isotonic = new IsotonicCalibrator([0.0, 1, 2], [0.0, 0, 1]);

        Assert.Equal([0.0, 0, 1], isotonic.Values);
        Assert.Equal([0.0, 1, 2], isotonic.Thresholds);
    }
}
