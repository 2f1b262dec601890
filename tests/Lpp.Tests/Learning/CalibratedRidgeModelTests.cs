namespace Lpp.Tests;

public sealed class CalibratedRidgeModelTests
{
    [Fact]
    public void Probability_TwoMembers_IsTheMeanOfTheirCalibratedProbabilities()
    {
        // Given two members: f1 = x + 1 calibrated by Platt (a = −1, b = 0), f2 = 2x calibrated by a 0→1 ramp on [−1, 1]
        var first = new CalibratedRidgeMember(new RidgeClassifierModel([1.0], 1), new PlattCalibrator(-1, 0));
        var second = new CalibratedRidgeMember(new RidgeClassifierModel([2.0], 0), new IsotonicCalibrator([-1.0, 1], [0.0, 1]));
        var model = new CalibratedRidgeModel([first, second]);

        // When scored at x = 0.25
        var p = model.Probability([0.25]);

        // Then p = (σ(1.25) + 0.75) / 2 (closed form, 1e-15)
        Close.Absolute((1 / (1 + Math.Exp(-1.25)) + 0.75) / 2, p, 1e-15);
        Assert.Equal(p, model.Probabilities(new FeatureMatrix(1, 1, [0.25]))[0]);
    }

    [Fact]
    public void Constructor_NoMembers_Throws()
    {
        var e = Assert.Throws<ArgumentException>(() => new CalibratedRidgeModel([]));

        Assert.Contains("at least one member", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_MembersOfDifferentWidths_ThrowsNamingMember()
    {
        // Given members with 1 and 2 coefficients, when combined, then the odd member is named
        var one = new CalibratedRidgeMember(new RidgeClassifierModel([1.0], 0), new PlattCalibrator(-1, 0));
        var two = new CalibratedRidgeMember(new RidgeClassifierModel([1.0, 2], 0), new PlattCalibrator(-1, 0));

        var e = Assert.Throws<ArgumentException>(() => new CalibratedRidgeModel([one, two]));

        Assert.Contains("member 1 has 2 coefficients, member 0 has 1", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Probabilities_WrongColumnCount_Throws()
    {
        var model = new CalibratedRidgeModel([new CalibratedRidgeMember(new RidgeClassifierModel([1.0], 0), new PlattCalibrator(-1, 0))]);

        var e = Assert.Throws<ArgumentException>(() => model.Probabilities(new FeatureMatrix(1, 2, [0, 0])));

        Assert.Contains("x has 2 columns; expected 1 (the model's)", e.Message, StringComparison.Ordinal);
    }
}
