namespace Lpp.Tests;

public sealed class RidgeClassifierOptionsTests
{
    [Fact]
    public void Defaults_AreSklearns()
    {
        // Given default options, then alpha is 1 and there are no class weights (scikit-learn RidgeClassifier's defaults)
        var options = new RidgeClassifierOptions();

        Assert.Equal(1.0, options.Alpha);
        Assert.Equal(ClassWeight.None, options.ClassWeight);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-1.0)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void Validate_BadAlpha_MessageNamesOptionAndRange(double alpha)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new RidgeClassifierOptions { Alpha = alpha }.Validate());

        Assert.Equal("Alpha", e.ParamName);
        Assert.Contains("alpha must be finite and greater than 0", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_NullClassWeight_MessageNamesOption()
    {
        var e = Assert.Throws<ArgumentNullException>(() => new RidgeClassifierOptions { ClassWeight = null! }.Validate());

        Assert.Equal("ClassWeight", e.ParamName);
    }
}
