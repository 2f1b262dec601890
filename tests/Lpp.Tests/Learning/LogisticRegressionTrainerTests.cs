namespace Lpp.Tests;

public sealed class LogisticRegressionTrainerTests
{
    public static TheoryData<int> Settings => [.. Enumerable.Range(0, 6)];

    [Theory]
    [MemberData(nameof(Settings))]
    public void Fit_SharedParityFile_MatchesCoefficientsAndProbabilities(int setting)
    {
        // scikit-learn 1.2.1 LogisticRegression(penalty="l2", C, class_weight) on StandardScaler(X),
        // ../shared/parity/sklearn-meta-model.json case logistic_regression_on_scaled_X: coefficients and intercept 1e-6 relative,
        // probabilities 1e-8 absolute
        // Given the shared inputs and one of the 6 (C, class_weight) settings
        var parity = SklearnParity.Load();
        var reference = parity.Logistic[setting];
        var trainer = new LogisticRegressionTrainer(new() { C = reference.C, ClassWeight = reference.ClassWeight });

        // When the logistic regression is fitted on the scaled X
        var model = trainer.Fit(parity.ScaledX, parity.Y);

        // Then coefficients, intercept and probabilities are sklearn's
        Close.Relative(reference.Coef, [.. model.Coefficients], 1e-6);
        Close.Relative(reference.Intercept, model.Intercept, 1e-6);
        Close.Absolute(reference.Proba, model.Probabilities(parity.ScaledX), 1e-8);
    }

    [Fact]
    public void Fit_HugePenalty_InterceptIsWeightedLogOdds()
    {
        // Given 30 rows of class 0 and 70 of class 1, weights {0: 2, 1: 1} and a vanishing C
        var random = new Random(3);
        var x = new FeatureMatrix(100, 3, [.. Enumerable.Range(0, 300).Select(_ => random.NextDouble() - 0.5)]);
        var y = Enumerable.Range(0, 100).Select(i => i < 30 ? 0 : 1).ToArray();
        var trainer = new LogisticRegressionTrainer(new() { C = 1e-12, ClassWeight = ClassWeight.Explicit(2, 1) });

        // When fitted
        var model = trainer.Fit(x, y);

        // Then the coefficients vanish and the intercept solves Σ w_i (p − y_i) = 0: p = 70 / (70 + 2·30), logit = ln(70/60) (closed form, 1e-9)
        Assert.All(model.Coefficients, c => Assert.True(Math.Abs(c) < 1e-9, $"coefficient {c}"));
        Close.Relative(Math.Log(70.0 / 60.0), model.Intercept, 1e-9);
    }

    [Fact]
    public void Fit_Optimum_HasZeroGradient()
    {
        // Given random data with a signal
        var random = new Random(11);
        var x = new FeatureMatrix(200, 4, [.. Enumerable.Range(0, 800).Select(_ => random.NextDouble() * 2 - 1)]);
        var y = Enumerable.Range(0, 200).Select(i => x[i, 0] + (0.5 * x[i, 1]) + (random.NextDouble() - 0.5) > 0 ? 1 : 0).ToArray();
        const double c = 0.5;

        // When fitted
        var model = new LogisticRegressionTrainer(new() { C = c }).Fit(x, y);

        // Then the first-order conditions hold: Σ (p_i − y_i) x_ij + coef_j / C = 0 and Σ (p_i − y_i) = 0 (1e-9 absolute)
        var p = model.Probabilities(x);
        Close.Absolute(0, Enumerable.Range(0, 200).Sum(i => p[i] - y[i]), 1e-9);
        for (var j = 0; j < 4; j++)
        {
            Close.Absolute(0, Enumerable.Range(0, 200).Sum(i => (p[i] - y[i]) * x[i, j]) + (model.Coefficients[j] / c), 1e-9);
        }
    }

    [Fact]
    public void Fit_OneClass_ThrowsNamingCounts()
    {
        var x = new FeatureMatrix(3, 1, [1, 2, 3]);
        var e = Assert.Throws<ArgumentException>(() => new LogisticRegressionTrainer().Fit(x, [1, 1, 1]));
        Assert.Contains("got 0 of class 0 and 3 of class 1", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-1.0)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NaN)]
    public void Options_BadC_ThrowNamingIt(double c)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new LogisticRegressionTrainer(new() { C = c }));
        Assert.Equal("C", e.ParamName);
        Assert.Contains("C must be finite and greater than 0", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Options_Defaults_AreScikitLearns()
    {
        // scikit-learn LogisticRegression(): C = 1.0, class_weight = None
        var options = new LogisticRegressionOptions();
        Assert.Equal(1.0, options.C);
        Assert.Same(ClassWeight.None, options.ClassWeight);
    }

    [Fact]
    public void Probability_ExtremeLogOdds_StaysFinite()
    {
        // Given log-odds of ±800 (exp overflows) the sigmoid is 1 and 0, not NaN
        var model = new LogisticRegressionModel([1.0], 0);
        Assert.Equal(1.0, model.Probability([800.0]));
        Assert.Equal(0.0, model.Probability([-800.0]));
    }
}
