namespace Lpp.Tests;

public sealed class RidgeClassifierTrainerTests
{
    public static TheoryData<int> Settings => [.. Enumerable.Range(0, 9)];

    [Theory]
    [MemberData(nameof(Settings))]
    public void Fit_SharedParityFile_MatchesCoefficientsInterceptAndDecisions(int setting)
    {
        // scikit-learn 1.2.1 RidgeClassifier(alpha, class_weight) on StandardScaler(X), ../shared/parity/sklearn-meta-model.json
        // (regenerated: it stores exactly the X its references were computed on), 1e-8 relative
        // Given the shared file's inputs and one of its 9 (alpha, class_weight) settings
        var parity = SklearnParity.Load();
        var reference = parity.Ridge[setting];
        var trainer = new RidgeClassifierTrainer(new() { Alpha = reference.Alpha, ClassWeight = reference.ClassWeight });

        // When the ridge is fitted on X scaled with the file's mean and scale
        var model = trainer.Fit(parity.ScaledX, parity.Y);

        // Then coefficients, intercept and decision values are sklearn's
        Close.Relative(reference.Coef, [.. model.Coefficients], 1e-8);
        Close.Relative(reference.Intercept, model.Intercept, 1e-8);
        Close.Relative(reference.Decision, model.Decisions(parity.ScaledX), 1e-8);
    }

    [Theory]
    [InlineData(0.1)]
    [InlineData(10)]
    public void Fit_Gram_EqualsDirectFit(double alpha)
    {
        // Given uncentred, unscaled random data and every kind of class weight
        var (x, y) = RandomData(seed: 7, rows: 400, columns: 12);
        var gram = RidgeGram.Compute(x, y);
        foreach (var weight in new[] { ClassWeight.None, ClassWeight.Balanced, ClassWeight.Explicit(0.64, 1.0), ClassWeight.Explicit(3, 0.5) })
        {
            var trainer = new RidgeClassifierTrainer(new() { Alpha = alpha, ClassWeight = weight });

            // When fitted directly and from the precomputed statistics
            var direct = trainer.Fit(x, y);
            var fromGram = trainer.Fit(gram);

            // Then both agree to rounding (closed form: the same normal equations, 1e-10 relative)
            Close.Relative([.. direct.Coefficients], [.. fromGram.Coefficients], 1e-10);
            Close.Relative(direct.Intercept, fromGram.Intercept, 1e-10);
        }
    }

    [Fact]
    public void Fit_HugeAlpha_InterceptIsWeightedTargetMean()
    {
        // Given 30 rows of class 0 and 70 of class 1 and an overwhelming penalty
        var (x, _) = RandomData(seed: 3, rows: 100, columns: 4);
        var y = Enumerable.Range(0, 100).Select(i => i < 30 ? 0 : 1).ToArray();
        var trainer = new RidgeClassifierTrainer(new() { Alpha = 1e14, ClassWeight = ClassWeight.Explicit(2, 1) });

        // When fitted
        var model = trainer.Fit(x, y);

        // Then the coefficients vanish and the intercept is the weighted mean target (70 − 2·30)/(70 + 2·30) (closed form, 1e-9)
        Assert.All(model.Coefficients, c => Assert.True(Math.Abs(c) < 1e-10, $"coefficient {c}"));
        Close.Relative(10.0 / 130.0, model.Intercept, 1e-9);
    }

    [Fact]
    public void Fit_Weights_ScaleInvariantUpToAlpha()
    {
        // Given explicit weights {w0, w1} and the same weights doubled
        var (x, y) = RandomData(seed: 5, rows: 120, columns: 3);
        var single = new RidgeClassifierTrainer(new() { Alpha = 2, ClassWeight = ClassWeight.Explicit(0.5, 1.5) }).Fit(x, y);

        // When the doubled weights are fitted with a doubled penalty
        var doubled = new RidgeClassifierTrainer(new() { Alpha = 4, ClassWeight = ClassWeight.Explicit(1, 3) }).Fit(x, y);

        // Then the objective is only scaled, so the solution is the same (closed form, 1e-12 relative)
        Close.Relative([.. single.Coefficients], [.. doubled.Coefficients], 1e-12);
        Close.Relative(single.Intercept, doubled.Intercept, 1e-12);
    }

    [Fact]
    public void Fit_OneClass_ThrowsNamingCounts()
    {
        // Given labels of one class only
        var (x, _) = RandomData(seed: 1, rows: 5, columns: 2);

        // When fitted
        var e = Assert.Throws<ArgumentException>(() => new RidgeClassifierTrainer().Fit(x, [1, 1, 1, 1, 1]));

        // Then the message gives the class counts
        Assert.Contains("got 0 of class 0 and 5 of class 1", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Fit_MissingValue_ThrowsNamingCell()
    {
        // Given a NaN (missing) feature
        var x = new FeatureMatrix(2, 2, [1, 2, 3, double.NaN]);

        // When fitted
        var e = Assert.Throws<ArgumentException>(() => new RidgeClassifierTrainer().Fit(x, [0, 1]));

        // Then the message names the cell
        Assert.Contains("row 1, column 1 is NaN", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Fit_LabelNotBinary_ThrowsNamingLabel()
    {
        // Given a label 2
        var x = new FeatureMatrix(2, 1, [1, 2]);

        // When fitted
        var e = Assert.Throws<ArgumentException>(() => new RidgeClassifierTrainer().Fit(x, [0, 2]));

        // Then the message names the label and its index
        Assert.Contains("label 2 at index 1 is not 0 or 1", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_InvalidOptions_ThrowsNamingOption()
    {
        // Given alpha 0, when the trainer is created, then the option is named
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new RidgeClassifierTrainer(new() { Alpha = 0 }));

        Assert.Equal("Alpha", e.ParamName);
    }

    /// <summary>Rows with offsets and scales far from standardised, labels from a noisy linear rule.</summary>
    internal static (FeatureMatrix X, int[] Y) RandomData(int seed, int rows, int columns)
    {
        var random = new Random(seed);
        var values = new double[rows * columns];
        var y = new int[rows];
        for (var r = 0; r < rows; r++)
        {
            var score = 0.0;
            for (var c = 0; c < columns; c++)
            {
                var v = (random.NextDouble() * (c + 1) * 3) + (c * 5);
                values[(r * columns) + c] = v;
                score += (c % 2 == 0 ? 1 : -1) * (v - (c * 5) - ((c + 1) * 1.5));
            }

            y[r] = score + (random.NextDouble() * 4) - 2 > 0 ? 1 : 0;
        }

        y[0] = 0;
        y[1] = 1;
        return (new FeatureMatrix(rows, columns, values), y);
    }
}
