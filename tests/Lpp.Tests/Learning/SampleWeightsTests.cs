namespace Lpp.Tests;

/// <summary>
/// Sample weights are frequency weights in every learner: the closed form checked here is that integer weights fit
/// exactly what the data with each row repeated weight times fits (same arithmetic up to rounding, 1e-9 relative).
/// </summary>
public sealed class SampleWeightsTests
{
    private static readonly int[] Repeats = [.. Enumerable.Range(0, 120).Select(i => 1 + ((i * 7) % 4))];

    [Fact]
    public void MedianImputer_IntegerWeights_EqualRepeatedRows()
    {
        // Given a column with missing values, and weights 1..4
        var (x, _) = Data(missingEvery: 5);

        // When the medians are fitted weighted and on the repeated rows
        var weighted = MedianImputer.Fit(x, Weights());
        var repeated = MedianImputer.Fit(Repeat(x));

        // Then they agree exactly (both pick or average the same stored values)
        Assert.Equal(repeated.Medians, weighted.Medians);
    }

    [Fact]
    public void MedianImputer_EvenTotalWeight_AveragesTheTwoMiddleValues()
    {
        // Given values 1, 2, 3 with weights 2, 1, 1 (repeated: 1, 1, 2, 3; numpy median 1.5, by hand)
        var x = new FeatureMatrix(3, 1, [3, 1, 2]);

        // When the weighted median is fitted
        var model = MedianImputer.Fit(x, [1, 2, 1]);

        // Then it is the midpoint of the two middle repeated values
        Assert.Equal(1.5, model.Medians[0]);
    }

    [Fact]
    public void StandardScaler_IntegerWeights_EqualRepeatedRows()
    {
        var (x, _) = Data(missingEvery: 0);

        var weighted = StandardScaler.Fit(x, Weights());
        var repeated = StandardScaler.Fit(Repeat(x));

        Close.Relative([.. repeated.Mean], [.. weighted.Mean], 1e-12);
        Close.Relative([.. repeated.Scale], [.. weighted.Scale], 1e-9);
    }

    [Fact]
    public void RidgeGram_IntegerWeights_EqualRepeatedRows()
    {
        // Given data, weights 1..4 and a ridge with explicit class weights
        var (x, y) = Data(missingEvery: 0);
        var trainer = new RidgeClassifierTrainer(new() { Alpha = 3, ClassWeight = ClassWeight.Explicit(0.64, 1) });

        // When it is solved from weighted statistics and from the repeated rows
        var weighted = trainer.Fit(RidgeGram.Compute(x, y, [.. Enumerable.Range(0, x.Rows)], Weights()));
        var repeated = trainer.Fit(Repeat(x), RepeatLabels(y));

        // Then the fits agree
        Close.Relative([.. repeated.Coefficients, repeated.Intercept], [.. weighted.Coefficients, weighted.Intercept], 1e-9);
    }

    [Fact]
    public void LogisticRegression_IntegerWeights_EqualRepeatedRows()
    {
        var (x, y) = Data(missingEvery: 0);
        var trainer = new LogisticRegressionTrainer(new() { C = 0.5 });

        var weighted = trainer.Fit(x, y, Weights());
        var repeated = trainer.Fit(Repeat(x), RepeatLabels(y));

        // Both are Newton solutions of the same objective to its own tolerance: 1e-7 relative
        Close.Relative([.. repeated.Coefficients, repeated.Intercept], [.. weighted.Coefficients, weighted.Intercept], 1e-7);
    }

    [Theory]
    [InlineData(CalibrationMethod.Sigmoid)]
    [InlineData(CalibrationMethod.Isotonic)]
    public void Calibration_IntegerWeights_EqualRepeatedScores(CalibrationMethod method)
    {
        // Given decision scores (some tied) and labels
        var (x, y) = Data(missingEvery: 0);
        double[] scores = [.. Enumerable.Range(0, x.Rows).Select(r => Math.Round(x[r, 0] - x[r, 1], 1))];

        // When the calibrator is fitted weighted and on the repeated scores
        var weighted = Calibration.Fit(method, scores, y, Weights());
        var repeated = Calibration.Fit(method, [.. scores.SelectMany((s, i) => Enumerable.Repeat(s, Repeats[i]))], RepeatLabels(y));

        // Then both map every score alike
        foreach (var f in new[] { -8.0, -2.5, -0.3, 0, 0.7, 3.1, 9 })
        {
            Assert.Equal(repeated.Probability(f), weighted.Probability(f), 1e-9);
        }
    }

    [Fact]
    public void ThresholdSearch_IntegerWeights_EqualRepeatedItems()
    {
        var (x, y) = Data(missingEvery: 0);
        double[] scores = [.. Enumerable.Range(0, x.Rows).Select(r => x[r, 2])];
        bool[] correct = [.. y.Select(v => v == 1)];
        var cost = CostModel.Default;

        var weighted = ThresholdSearch.Exact(scores, correct, cost, Weights());
        var repeatedScores = scores.SelectMany((s, i) => Enumerable.Repeat(s, Repeats[i])).ToArray();
        var repeatedCorrect = correct.SelectMany((c, i) => Enumerable.Repeat(c, Repeats[i])).ToArray();

        Assert.Equal(ThresholdSearch.Exact(repeatedScores, repeatedCorrect, cost), weighted);
        Assert.Equal(ThresholdSearch.CostAt(repeatedScores, repeatedCorrect, cost, weighted), ThresholdSearch.CostAt(scores, correct, cost, weighted, Weights()), 1e-12);
    }

    [Fact]
    public void Weights_NotPositiveOrWrongLength_ThrowNamingTheRow()
    {
        var (x, y) = Data(missingEvery: 0);
        double[] weights = [.. Weights()];
        weights[7] = 0;

        var e = Assert.Throws<ArgumentException>(() => new LogisticRegressionTrainer().Fit(x, y, weights));
        Assert.Contains("weight at row 7 is 0", e.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => StandardScaler.Fit(x, [1, 2]));
    }

    private static double[] Weights() => [.. Repeats.Select(r => (double)r)];

    private static (FeatureMatrix X, int[] Y) Data(int missingEvery)
    {
        var (x, y) = RidgeClassifierTrainerTests.RandomData(seed: 31, rows: Repeats.Length, columns: 4);
        if (missingEvery > 0)
        {
            var values = new double[x.Rows * x.Columns];
            for (var r = 0; r < x.Rows; r++)
            {
                for (var c = 0; c < x.Columns; c++)
                {
                    values[(r * x.Columns) + c] = (r + c) % missingEvery == 0 ? double.NaN : x[r, c];
                }
            }

            x = new FeatureMatrix(x.Rows, x.Columns, values);
        }

        return (x, y);
    }

    private static FeatureMatrix Repeat(FeatureMatrix x) => x.SelectRows([.. Enumerable.Range(0, x.Rows).SelectMany(r => Enumerable.Repeat(r, Repeats[r]))]);

    private static int[] RepeatLabels(int[] y) => [.. y.SelectMany((v, i) => Enumerable.Repeat(v, Repeats[i]))];
}
