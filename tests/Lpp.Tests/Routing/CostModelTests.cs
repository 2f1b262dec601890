namespace Lpp.Tests;

public sealed class CostModelTests
{
    [Fact]
    public void Cost_PaperForm_MatchesTheFormula()
    {
        // Hand calculation: C = 1*FP + (0.64 - 1)*TN + 0.64*FN with FP=3, TN=5, FN=10 -> 3 - 1.8 + 6.4 = 7.6
        Assert.Equal(7.6, CostModel.Default.Cost(fp: 3, tn: 5, fn: 10), 12);
    }

    [Fact]
    public void Cost_AbsoluteForm_MatchesTheFormula()
    {
        // Hand calculation: C = 2*FP + 0.5*(TN + FN) with FP=3, TN=5, FN=10 -> 6 + 7.5 = 13.5
        Assert.Equal(13.5, new CostModel(CostForm.Absolute, 2, 0.5).Cost(fp: 3, tn: 5, fn: 10), 12);
    }

    [Theory]
    [InlineData(CostForm.Paper, 0.64, 0.68)]
    [InlineData(CostForm.Paper, 0.2, 0.9)]
    [InlineData(CostForm.Absolute, 0.64, 0.36)]
    [InlineData(CostForm.Absolute, 0.2, 0.8)]
    public void CalibratedOptimalThreshold_IsTheClosedForm(CostForm form, double cReview, double expected)
    {
        // Closed forms: 1 - r/2 (paper), 1 - r (absolute), r = c_review / c_error
        Assert.Equal(expected, new CostModel(form, 1, cReview).CalibratedOptimalThreshold, 12);
    }

    [Theory]
    [InlineData(CostForm.Paper, 0.64)]
    [InlineData(CostForm.Paper, 0.3)]
    [InlineData(CostForm.Absolute, 0.64)]
    [InlineData(CostForm.Absolute, 0.3)]
    public void ExactSearch_PerfectlyCalibratedScores_FindsTheClosedForm(CostForm form, double cReview)
    {
        // Given perfectly calibrated scores: 1,000 items at each score s = k/1000, of which a share s are correct
        // (k out of 1000), so the empirical P(correct | score) equals the score exactly
        var scores = new List<double>();
        var correct = new List<bool>();
        for (var k = 0; k <= 1000; k += 10)
        {
            for (var i = 0; i < 1000; i++)
            {
                scores.Add(k / 1000.0);
                correct.Add(i < k);
            }
        }

        var cost = new CostModel(form, 1, cReview);

        // When the cost-optimal threshold is searched exactly
        var tau = ThresholdSearch.Exact([.. scores], [.. correct], cost);

        // Then it lands within one score step (0.01) of the closed form
        Assert.InRange(tau, cost.CalibratedOptimalThreshold - 0.0101, cost.CalibratedOptimalThreshold + 0.0101);
    }

    [Theory]
    [InlineData(CostForm.Paper, true, true, 0)]
    [InlineData(CostForm.Paper, true, false, 2)]
    [InlineData(CostForm.Paper, false, true, 0.5)]
    [InlineData(CostForm.Paper, false, false, -1.5)]
    [InlineData(CostForm.Absolute, true, true, 0)]
    [InlineData(CostForm.Absolute, true, false, 2)]
    [InlineData(CostForm.Absolute, false, true, 0.5)]
    [InlineData(CostForm.Absolute, false, false, 0.5)]
    public void ItemCost_EachOutcome_IsItsTermOfTheCost(CostForm form, bool trusted, bool correct, double expected)
    {
        // Hand calculation with c_error 2, c_review 0.5: trusting costs c_error when wrong; escalating costs c_review,
        // less the c_error it saves when wrong in the paper form (0.5 - 2 = -1.5)
        Assert.Equal(expected, new CostModel(form, 2, 0.5).ItemCost(trusted, correct));
    }

    [Fact]
    public void Default_IsThePapersCostModel()
    {
        Assert.Equal(new CostModel(CostForm.Paper, 1, 0.64), CostModel.Default);
        Assert.Equal("paper", CostModel.Default.FormName);
    }

    [Theory]
    [InlineData(0, 0.64, "cost-error must be a positive number (got 0)")]
    [InlineData(1, -1, "cost-review must be a positive number (got -1)")]
    [InlineData(double.NaN, 0.64, "cost-error must be a positive number (got NaN)")]
    [InlineData(1, 0, "cost-review must be a positive number (got 0)")]
    [InlineData(1, double.PositiveInfinity, "cost-review must be a positive number (got Infinity)")]
    [InlineData(double.PositiveInfinity, 0.64, "cost-error must be a positive number (got Infinity)")]
    public void Validate_NonPositiveCost_NamesTheOption(double cError, double cReview, string message)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new CostModel(CostForm.Paper, cError, cReview).Validate());
        Assert.StartsWith(message, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_PositiveFiniteCosts_Passes()
    {
        new CostModel(CostForm.Absolute, 1e9, 1e-9).Validate();
    }

    [Theory]
    [InlineData(CostForm.Paper, "paper")]
    [InlineData(CostForm.Absolute, "absolute")]
    public void FormName_ParseForm_RoundTrip(CostForm form, string name)
    {
        Assert.Equal(name, new CostModel(form, 1, 0.64).FormName);
        Assert.Equal(form, CostModel.ParseForm(name));
    }

    [Fact]
    public void ParseForm_UnknownName_NamesItAndTheChoices()
    {
        var e = Assert.Throws<FormatException>(() => CostModel.ParseForm("relative"));

        Assert.Equal("cost model 'relative' is not one of paper, absolute", e.Message);
    }

    [Theory]
    [InlineData(CostForm.Paper, 2, "cost-review must be less than cost-error (got 2 and 1): a review that costs as much as the error it prevents is never worth it, and tau would be 0 (trust everything)")]
    [InlineData(CostForm.Absolute, 1, "cost-review must be less than cost-error (got 1 and 1): a review that costs as much as the error it prevents is never worth it, and tau would be 0 (trust everything)")]
    public void Validate_ReviewCostingAtLeastAnError_IsRefused(CostForm form, double cReview, string message)
    {
        // Given c_error 1: tau = 1 - r/2 (paper) or 1 - r (absolute) reaches 0 at r = 2 and r = 1 (closed form)
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new CostModel(form, 1, cReview).Validate());

        Assert.StartsWith(message, e.Message, StringComparison.Ordinal);
    }
}
