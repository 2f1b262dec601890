namespace Lpp.Tests;

public sealed class RidgeClassifierModelTests
{
    [Fact]
    public void Decision_Row_IsDotPlusIntercept()
    {
        // Given coef (2, −1, 0.5) and intercept 0.25
        var model = new RidgeClassifierModel([2.0, -1, 0.5], 0.25);

        // When x = (1, 3, 4)
        var f = model.Decision([1, 3, 4]);

        // Then f = 2 − 3 + 2 + 0.25 (closed form, exact)
        Assert.Equal(1.25, f);
        Assert.Equal([1.25, 0.25], model.Decisions(FeatureMatrix.FromRows([[1.0, 3, 4], [0.0, 0, 0]])));
    }

    [Fact]
    public void Predict_ZeroDecision_IsClass0()
    {
        // Given f(x) = x, then f = 0 predicts class 0 and f > 0 class 1 (sklearn's rule)
        var model = new RidgeClassifierModel([1.0], 0);

        Assert.Equal(0, model.Predict([0]));
        Assert.Equal(1, model.Predict([1e-300]));
    }

    [Fact]
    public void Decision_LongRow_MatchesScalarSum()
    {
        // Given 37 features (vector lanes plus a tail)
        var coef = Enumerable.Range(0, 37).Select(i => (i * 0.37) - 3).ToArray();
        var row = Enumerable.Range(0, 37).Select(i => Math.Sin(i)).ToArray();
        var model = new RidgeClassifierModel([.. coef], -0.5);

        // Then the decision equals the plain sum (1e-13 relative)
        Close.Relative(coef.Zip(row).Sum(p => p.First * p.Second) - 0.5, model.Decision(row), 1e-13);
    }

    [Fact]
    public void Constructor_NonFinite_ThrowsNamingCoefficient()
    {
        var e = Assert.Throws<ArgumentException>(() => new RidgeClassifierModel([1.0, double.NaN], 0));

        Assert.Contains("coefficient 1 is NaN", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decision_WrongWidth_Throws()
    {
        var model = new RidgeClassifierModel([1.0], 0);

        var e = Assert.Throws<ArgumentException>(() => model.Decision([1, 2]));

        Assert.Contains("features has 2 values; expected 1 (the model's)", e.Message, StringComparison.Ordinal);
    }
}
