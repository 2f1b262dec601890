namespace Lpp.Tests;

public sealed class ReviewWeightTests
{
    [Theory]
    [InlineData(false, false, 0.0, 1.0)] // escalated: every escalation is queued for review
    [InlineData(false, true, 0.1, 1.0)]
    [InlineData(true, true, 0.1, 10.0)] // audited at 10%: stands for 10 trusted decisions
    [InlineData(true, true, 1.0, 1.0)]
    [InlineData(true, true, 0.25, 4.0)]
    public void Of_ReviewedDecision_InverseOfItsChanceOfReview(bool trusted, bool audited, double rate, double weight)
    {
        Assert.Equal(weight, ReviewWeight.Of(trusted, audited, rate));
    }

    [Theory]
    [InlineData(true, false, 0.1)] // trusted, reviewed by id outside the sample
    [InlineData(true, true, 0.0)] // a stored rate no sample can have been drawn at
    [InlineData(true, true, 1.5)]
    [InlineData(true, true, double.NaN)]
    public void Of_NoKnownChanceOfReview_Null(bool trusted, bool audited, double rate)
    {
        Assert.Null(ReviewWeight.Of(trusted, audited, rate));
    }
}
