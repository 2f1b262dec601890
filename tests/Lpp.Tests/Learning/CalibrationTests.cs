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
}
