namespace Lpp.Tests;

public sealed class CalibrationTests
{
    [Fact]
    public void Platt_SklearnRidgeDecision_MatchesParametersAndProbabilities()
    {
        // scikit-learn 1.2.1 _sigmoid_calibration on RidgeClassifier(alpha=1.0) decisions, ../shared/parity/sklearn-meta-model.json, 1e-6
        // (sklearn stops BFGS at gradient norm 1e-5; this fit goes to the optimum: a differs by 2e-7, probabilities by 2e-8)
        // Given sklearn's ridge decision values and the labels
        var parity = SklearnParity.Load();

        // When Platt scaling is fitted
        var platt = Calibration.Platt(parity.CalibrationDecision, parity.Y);

        // Then a, b and the probabilities are sklearn's
        Close.Absolute(parity.PlattA, platt.A, 1e-6);
        Close.Absolute(parity.PlattB, platt.B, 1e-6);
        Close.Absolute(parity.PlattProba, [.. parity.CalibrationDecision.Select(platt.Probability)], 1e-6);
    }

    [Fact]
    public void Platt_SklearnOnStoredX_MatchesProbabilities()
    {
        // scikit-learn 1.2.1 _sigmoid_calibration on the stored X's ridge decisions, ../shared/parity/sklearn-meta-model.json, 1e-6
        var parity = SklearnParity.Load();

        var platt = Calibration.Platt(parity.CalibrationDecision, parity.Y);

        Close.Absolute(parity.PlattA, platt.A, 1e-6);
        Close.Absolute(parity.PlattB, platt.B, 1e-6);
        Close.Absolute(parity.PlattProba, [.. parity.CalibrationDecision.Select(platt.Probability)], 1e-6);
    }

    [Fact]
    public void Platt_Optimum_GradientVanishes()
    {
        // Given scores with 3 positives and 2 negatives (smoothed targets 4/5 and 1/4)
        double[] scores = [-2, -0.5, 0.3, 1.1, 2.5];
        int[] y = [0, 1, 0, 1, 1];

        // When fitted
        var platt = Calibration.Platt(scores, y);

        // Then the log-loss gradient Σ (T − p)·(f, 1) is zero at (a, b) (closed form, 1e-12 absolute)
        double[] targets = [.. y.Select(label => label == 1 ? 4.0 / 5 : 1.0 / 4)];
        var gradientA = scores.Select((f, i) => (targets[i] - platt.Probability(f)) * f).Sum();
        var gradientB = scores.Select((f, i) => targets[i] - platt.Probability(f)).Sum();
        Close.Absolute(0, gradientA, 1e-12);
        Close.Absolute(0, gradientB, 1e-12);
        Assert.True(platt.A < 0, "larger scores must mean class 1 here");
    }

    [Fact]
    public void Platt_ConstantScores_GivesSmoothedBaseRate()
    {
        // Given one score for every row: 6 positives, 2 negatives
        double[] scores = [0.7, 0.7, 0.7, 0.7, 0.7, 0.7, 0.7, 0.7];
        int[] y = [1, 1, 1, 1, 1, 1, 0, 0];

        // When fitted
        var platt = Calibration.Platt(scores, y);

        // Then p is the mean smoothed target (6·7/8 + 2·1/4)/8 (closed form, 1e-9)
        Close.Absolute(((6 * 7.0 / 8) + (2 * 1.0 / 4)) / 8, platt.Probability(0.7), 1e-9);
    }

    [Theory]
    [InlineData(new double[0], -0.6931471805599453, 0)]
    [InlineData(new[] { 2.0, 2 }, -1.0986122886681098, 0)]
    [InlineData(new[] { 1.0, 3 }, -1.0397207708399179, -0.34657359027997264)]
    public void Platt_TwoPoints_FitsTheSmoothedTargetsExactly(double[] weights, double a, double b)
    {
        // Given scores -1 (class 0) and 1 (class 1): two parameters fit the two smoothed targets exactly, so (closed form)
        // a + b = ln(1/T+ - 1) and -a + b = ln(1/T- - 1), with T+ = (N+ + 1)/(N+ + 2), T- = 1/(N- + 2), N± the classes'
        // total weights. Unweighted: T = 2/3, 1/3, a = -ln 2, b = 0. Weights 2, 2: T = 3/4, 1/4, a = -ln 3, b = 0.
        // Weights 1, 3: T+ = 4/5, T- = 1/3, a + b = -ln 4, -a + b = ln 2, so a = -1.5 ln 2, b = -0.5 ln 2.
        // When fitted
        var platt = Calibration.Platt([-1.0, 1], [0, 1], weights);

        // Then (1e-9: the fit stops at a relative step of 1e-12)
        Close.Absolute(a, platt.A, 1e-9);
        Close.Absolute(b, platt.B, 1e-9);
    }

    [Fact]
    public void Isotonic_Weights_CountAsCopies()
    {
        // Given labels 0, 1, 0 at scores 0, 1, 2, the last weighing 3: the violator pair (1, 0) pools to
        // (1·1 + 3·0) / 4 = 0.25 (hand calculation; unweighted it would be 0.5)
        var isotonic = Calibration.Isotonic([0.0, 1, 2], [0, 1, 0], [1, 1, 3]);

        Assert.Equal([0.0, 1, 2], isotonic.Thresholds);
        Assert.Equal([0.0, 0.25, 0.25], isotonic.Values);
        Assert.Equal([0.0, 0.5, 0.5], Calibration.Isotonic([0.0, 1, 2], [0, 1, 0]).Values);
    }

    [Fact]
    public void Isotonic_ScoresExactly1e15Apart_AreDistinct()
    {
        // Given scores 0 and 1e-15 (exactly sklearn's resolution apart: its _make_unique starts a new point when
        // x >= current + 1e-15) and 1, labels 0, 1, 1
        var isotonic = Calibration.Isotonic([0.0, 1e-15, 1], [0, 1, 1]);

        // Then 0 and 1e-15 stay two points (merged they would be one point at 0 with value 0.5)
        Assert.Equal([0.0, 1e-15, 1], isotonic.Thresholds);
        Assert.Equal([0.0, 1, 1], isotonic.Values);
    }

    [Fact]
    public void Fit_Weights_ReachTheCalibrator()
    {
        // The weighted overload of Fit passes the weights on (the two-point closed form above: a = -ln 3 with weights 2, 2)
        var platt = Assert.IsType<PlattCalibrator>(Calibration.Fit(CalibrationMethod.Sigmoid, [-1.0, 1], [0, 1], [2.0, 2]));
        Close.Absolute(-Math.Log(3), platt.A, 1e-9);
        var isotonic = Assert.IsType<IsotonicCalibrator>(Calibration.Fit(CalibrationMethod.Isotonic, [0.0, 1, 2], [0, 1, 0], [1.0, 1, 3]));
        Assert.Equal([0.0, 0.25, 0.25], isotonic.Values);
        Assert.Throws<ArgumentOutOfRangeException>(() => Calibration.Fit((CalibrationMethod)7, [0.0], [0]));
    }

    [Fact]
    public void Platt_BadWeights_AreRefusedNamingTheRow()
    {
        var e = Assert.Throws<ArgumentException>(() => Calibration.Platt([0.0, 1], [0, 1], [1, 0]));

        Assert.StartsWith("weight at row 1 is 0; weights must be positive and finite", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Isotonic_SklearnRidgeDecision_MatchesProbabilities()
    {
        // scikit-learn 1.2.1 IsotonicRegression(out_of_bounds="clip") on RidgeClassifier(alpha=1.0) decisions, ../shared/parity/sklearn-meta-model.json, 1e-6
        // Given sklearn's ridge decision values and the labels
        var parity = SklearnParity.Load();

        // When isotonic calibration is fitted
        var isotonic = Calibration.Isotonic(parity.CalibrationDecision, parity.Y);

        // Then the probabilities at the training scores are sklearn's
        Close.Absolute(parity.IsotonicProba, [.. parity.CalibrationDecision.Select(isotonic.Probability)], 1e-6);
    }

    [Fact]
    public void Isotonic_SklearnOnStoredX_MatchesProbabilities()
    {
        // scikit-learn 1.2.1 IsotonicRegression(out_of_bounds="clip") on the stored X's ridge decisions, ../shared/parity/sklearn-meta-model.json, 1e-6
        var parity = SklearnParity.Load();

        var isotonic = Calibration.Isotonic(parity.CalibrationDecision, parity.Y);

        Close.Absolute(parity.IsotonicProba, [.. parity.CalibrationDecision.Select(isotonic.Probability)], 1e-6);
    }

    [Fact]
    public void Isotonic_TiedScoresAndViolators_PoolsAndInterpolates()
    {
        // Given a tie at score 1 (labels 1, 0) and a violator pair at 2, 3 (labels 1, 0)
        double[] scores = [0, 1, 1, 2, 3, 4];
        int[] y = [0, 1, 0, 1, 0, 1];

        // When fitted
        var isotonic = Calibration.Isotonic(scores, y);

        // Then the tie averages to 0.5, the violators (1, 0) pool to 0.5 and then with the tie, flat points inside a run are dropped,
        // and scores between points interpolate linearly (closed form, exact)
        Assert.Equal([0.0, 1, 3, 4], isotonic.Thresholds);
        Assert.Equal([0.0, 0.5, 0.5, 1], isotonic.Values);
        Assert.Equal(0.25, isotonic.Probability(0.5));
        Assert.Equal(0.75, isotonic.Probability(3.5));
    }

    [Fact]
    public void Isotonic_OutsideTrainingRange_Clips()
    {
        // Given a fit on scores 0..3
        var isotonic = Calibration.Isotonic([0, 1, 2, 3], [0, 0, 1, 1]);

        // When scored far outside, then the end values are returned
        Assert.Equal(0.0, isotonic.Probability(-100));
        Assert.Equal(1.0, isotonic.Probability(100));
    }

    [Fact]
    public void Fit_Method_DispatchesToTheCalibrator()
    {
        // Given the same data, when fitted by method, then the calibrator type follows the method
        double[] scores = [0, 1, 2, 3];
        int[] y = [0, 1, 0, 1];

        Assert.IsType<PlattCalibrator>(Calibration.Fit(CalibrationMethod.Sigmoid, scores, y));
        Assert.IsType<IsotonicCalibrator>(Calibration.Fit(CalibrationMethod.Isotonic, scores, y));
    }

    [Fact]
    public void Platt_NonFiniteScore_ThrowsNamingIndex()
    {
        // Given an infinite score, when fitted, then the message names its index
        var e = Assert.Throws<ArgumentException>(() => Calibration.Platt([0, double.PositiveInfinity], [0, 1]));

        Assert.Contains("score 1 is", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Isotonic_NoScores_Throws()
    {
        // Given nothing, when fitted, then it is refused
        var e = Assert.Throws<ArgumentException>(() => Calibration.Isotonic([], []));

        Assert.Contains("0 scores", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Platt_ConstantScores_MatchesSklearnParameters()
    {
        // scikit-learn 1.2.1 _sigmoid_calibration([0.7] * 8, [1, 1, 1, 1, 1, 1, 0, 0]) = (-0.04273834966736099,
        // -0.9083526456262908); 1e-5, sklearn's BFGS stopping point. With one score, a and b are not identified (only
        // 0.7 a + b is), so this pins the path: steps along the gradient's direction (0.7, 1) from the start, as BFGS's
        double[] scores = [0.7, 0.7, 0.7, 0.7, 0.7, 0.7, 0.7, 0.7];
        int[] y = [1, 1, 1, 1, 1, 1, 0, 0];

        var platt = Calibration.Platt(scores, y);

        Close.Absolute(-0.04273834966736099, platt.A, 1e-5);
        Close.Absolute(-0.9083526456262908, platt.B, 1e-5);
    }

    [Fact]
    public void Platt_ScoresNear1e308OfBothSigns_FitWithoutOverflow()
    {
        // Given scores whose differences overflow a double, when fitted, then the parameters are finite (the fit stops
        // at its start: every Newton step overflows) and p is defined
        var platt = Calibration.Platt([1.5e308, -1.5e308, 1.5e308, -1.5e308], [1, 0, 0, 1]);

        Assert.True(double.IsFinite(platt.A) && double.IsFinite(platt.B), $"a = {platt.A}, b = {platt.B}");
        Assert.InRange(platt.Probability(0), 0.0, 1.0);
    }

    [Fact]
    public void Platt_AllScoresZero_GivesTheMeanTargetExactly()
    {
        // Given scores all 0 (the Hessian's a-row is exactly 0) and labels 1, 1, 0: targets 3/4, 3/4, 1/3
        var platt = Calibration.Platt([0, 0, 0], [1, 1, 0]);

        // Then a stays 0 and p = 1/(1 + e^b) is the mean target m = (3/4 + 3/4 + 1/3)/3 = 11/18, so b = ln((1 - m)/m)
        // = ln(7/11) (closed form, 1e-9; scikit-learn 1.2.1 gives -0.45198502929035783)
        Assert.Equal(0, platt.A);
        Close.Absolute(Math.Log(7.0 / 11), platt.B, 1e-9);
    }

    [Fact]
    public void Platt_ScoresScaledDown_ScaleTheSlopeUp()
    {
        // Given 40 seeded scores and labels, and the same scores times 1e-6 (as a tiny ridge decision can be)
        var random = new Random(5);
        var scores = Enumerable.Range(0, 40).Select(_ => (random.NextDouble() * 4) - 2).ToArray();
        var y = scores.Select(s => random.NextDouble() < 1 / (1 + Math.Exp(-2 * s)) ? 1 : 0).ToArray();

        // When both are fitted
        var platt = Calibration.Platt(scores, y);
        var scaled = Calibration.Platt([.. scores.Select(s => s * 1e-6)], y);

        // Then the fit is the same up to the slope's scale (a' = a / 1e-6, b' = b; the loss depends on a·f only; 1e-9 relative)
        Close.Absolute(platt.A, scaled.A * 1e-6, 1e-9 * Math.Abs(platt.A));
        Close.Absolute(platt.B, scaled.B, 1e-9 * Math.Max(1, Math.Abs(platt.B)));
    }

    [Fact]
    public void Platt_LengthsDiffer_ThrowsNamingY()
    {
        var e = Assert.Throws<ArgumentException>(() => Calibration.Platt([0.1, 0.2, 0.3], [0, 1]));

        Assert.Equal("y", e.ParamName);
        Assert.Contains("one per score", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Fit_UnknownMethod_ThrowsNamingTheChoices()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => Calibration.Fit((CalibrationMethod)7, [0.0, 1], [0, 1]));

        Assert.Contains("Sigmoid or Isotonic", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Isotonic_TiedHighestScore_AveragesItsLabels()
    {
        // Given the highest score twice, labels 0 and 1 (the last group is closed after the loop)
        var isotonic = Calibration.Isotonic([0, 2, 2], [0, 0, 1]);

        // Then its value is their mean, 0.5 (hand calculation)
        Assert.Equal([0.0, 2], isotonic.Thresholds);
        Assert.Equal([0.0, 0.5], isotonic.Values);
    }
}
