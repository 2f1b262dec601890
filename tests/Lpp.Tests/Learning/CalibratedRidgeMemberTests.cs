namespace Lpp.Tests;

public sealed class CalibratedRidgeMemberTests
{
    [Fact]
    public void Probability_IsCalibratorOfRidgeDecision()
    {
        // Given f(x) = 3·x0 − x1 + 0.5 and Platt a = −2, b = 0.1
        var member = new CalibratedRidgeMember(new RidgeClassifierModel([3.0, -1], 0.5), new PlattCalibrator(-2, 0.1));

        // When scored at (1, 2): f = 1.5
        var p = member.Probability([1, 2]);

        // Then p = 1/(1 + exp(−2·1.5 + 0.1)) (closed form, 1e-15)
        Close.Absolute(1 / (1 + Math.Exp((-2 * 1.5) + 0.1)), p, 1e-15);
    }

    [Fact]
    public void Constructor_NullCalibrator_Throws()
    {
        Assert.Throws<ArgumentNullException>(() => new CalibratedRidgeMember(new RidgeClassifierModel([1.0], 0), null!));
    }
}
