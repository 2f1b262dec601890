namespace Lpp.Tests;

public sealed class TrustedErrorEstimateTests
{
    [Fact]
    public void Ci95_TwoOfForty_IsTheExactBinomialInterval()
    {
        // Closed form, solved by bisection in exact binomial sums (Python, 200 halvings): the lower bound p solves
        // P(X >= 2 | 40, p) = 0.025 -> 0.0061136466, the upper P(X <= 2 | 40, p) = 0.025 -> 0.1691968640
        var estimate = new TrustedErrorEstimate(Sampled: 50, Reviewed: 40, Errors: 2);

        Assert.Equal(0.05, estimate.Rate, 1e-15);
        Assert.Equal(0.0061136466, estimate.Ci95.Low, 1e-9);
        Assert.Equal(0.1691968640, estimate.Ci95.High, 1e-9);
    }

    [Fact]
    public void Rate_NothingReviewed_IsNaNWithTheWholeRange()
    {
        var estimate = new TrustedErrorEstimate(10, 0, 0);

        Assert.True(double.IsNaN(estimate.Rate));
        Assert.Equal(new Interval(0, 1), estimate.Ci95);
    }
}
