namespace Lpp.Tests;

public sealed class CalibratedRidgeOptionsTests
{
    [Fact]
    public void Defaults_AreThePapersRecipe()
    {
        // Given default options, then: 3 folds (cv=3), sigmoid (sklearn's default), seed 42, default ridge
        var options = new CalibratedRidgeOptions();

        Assert.Equal(3, options.Folds);
        Assert.Equal(CalibrationMethod.Sigmoid, options.Method);
        Assert.Equal(42, options.Seed);
        Assert.Equal(new RidgeClassifierOptions(), options.Ridge);
    }

    [Fact]
    public void Validate_BadOptions_MessagesNameOptionAndRange()
    {
        var folds = Assert.Throws<ArgumentOutOfRangeException>(() => new CalibratedRidgeOptions { Folds = 1 }.Validate());
        var method = Assert.Throws<ArgumentOutOfRangeException>(() => new CalibratedRidgeOptions { Method = (CalibrationMethod)7 }.Validate());
        var alpha = Assert.Throws<ArgumentOutOfRangeException>(() => new CalibratedRidgeOptions { Ridge = new() { Alpha = -1 } }.Validate());
        var ridge = Assert.Throws<ArgumentNullException>(() => new CalibratedRidgeOptions { Ridge = null! }.Validate());

        Assert.Contains("calibration folds must be at least 2", folds.Message, StringComparison.Ordinal);
        Assert.Contains("calibration method must be Sigmoid or Isotonic", method.Message, StringComparison.Ordinal);
        Assert.Equal("Alpha", alpha.ParamName);
        Assert.Equal("Ridge", ridge.ParamName);
    }
}
