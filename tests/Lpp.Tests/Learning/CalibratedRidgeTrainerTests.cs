namespace Lpp.Tests;

public sealed class CalibratedRidgeTrainerTests
{
    [Theory]
    [InlineData(CalibrationMethod.Sigmoid)]
    [InlineData(CalibrationMethod.Isotonic)]
    public void Fit_SklearnFolds_MatchesEnsembleProbabilities(CalibrationMethod method)
    {
        // scikit-learn 1.2.1 CalibratedClassifierCV(RidgeClassifier(alpha=10, class_weight="balanced"), cv=folds i % 3 == k, ensemble=True), ../shared/parity/sklearn-meta-model.json, 1e-6
        // Given the scaled reference data and sklearn's folds (test rows i with i % 3 == k)
        var parity = SklearnParity.Load();

        // When the calibrated ensemble is fitted
        var model = Trainer(parity, method).Fit(parity.ScaledX, parity.Y, SklearnFolds(parity));

        // Then its probabilities are sklearn's
        Close.Absolute(method == CalibrationMethod.Sigmoid ? parity.CvSigmoid : parity.CvIsotonic, model.Probabilities(parity.ScaledX), 1e-6);
    }

    [Theory]
    [InlineData(CalibrationMethod.Sigmoid)]
    [InlineData(CalibrationMethod.Isotonic)]
    public void Fit_SklearnOnStoredX_MatchesEnsembleProbabilities(CalibrationMethod method)
    {
        // scikit-learn 1.2.1 CalibratedClassifierCV(..., ensemble=True) rerun on the stored X, ../shared/parity/sklearn-meta-model.json, 1e-6
        var parity = SklearnParity.Load();

        var model = Trainer(parity, method).Fit(parity.ScaledX, parity.Y, SklearnFolds(parity));

        Close.Absolute(method == CalibrationMethod.Sigmoid ? parity.CvSigmoid : parity.CvIsotonic, model.Probabilities(parity.ScaledX), 1e-6);
    }

    [Fact]
    public void Fit_PreparedFolds_EqualsFitFromData()
    {
        // Given data, explicit folds and the folds prepared once
        var (x, y) = RidgeClassifierTrainerTests.RandomData(seed: 11, rows: 200, columns: 6);
        var folds = StratifiedSplit.KFold(y, 3, seed: 5);
        var prepared = CalibrationFolds.Prepare(x, y, folds);
        var trainer = new CalibratedRidgeTrainer(new() { Ridge = new() { Alpha = 0.1, ClassWeight = ClassWeight.Balanced }, Method = CalibrationMethod.Isotonic });

        // When fitted from the data and from the prepared folds
        var fromData = trainer.Fit(x, y, folds);
        var fromPrepared = trainer.Fit(prepared);

        // Then the probabilities are identical (same arithmetic)
        Assert.Equal(fromData.Probabilities(x), fromPrepared.Probabilities(x));
    }

    [Fact]
    public void FitEachMethod_SharedRidge_EqualsOneFitPerMethod()
    {
        // Given prepared folds
        var (x, y) = RidgeClassifierTrainerTests.RandomData(seed: 12, rows: 150, columns: 5);
        var prepared = CalibrationFolds.Prepare(x, y, 3, seed: 7);
        var options = new CalibratedRidgeOptions { Ridge = new() { Alpha = 10 } };

        // When both calibrations are fitted on one set of ridge models, and each on its own
        var both = new CalibratedRidgeTrainer(options).FitEachMethod(prepared, [CalibrationMethod.Sigmoid, CalibrationMethod.Isotonic]);
        var sigmoid = new CalibratedRidgeTrainer(options with { Method = CalibrationMethod.Sigmoid }).Fit(prepared);
        var isotonic = new CalibratedRidgeTrainer(options with { Method = CalibrationMethod.Isotonic }).Fit(prepared);

        // Then the probabilities are identical
        Assert.Equal(sigmoid.Probabilities(x), both[0].Probabilities(x));
        Assert.Equal(isotonic.Probabilities(x), both[1].Probabilities(x));
    }

    [Fact]
    public void Fit_OwnFolds_DeterministicForSeedAndOneMemberPerFold()
    {
        // Given a trainer with 4 seeded folds
        var (x, y) = RidgeClassifierTrainerTests.RandomData(seed: 12, rows: 160, columns: 5);
        var trainer = new CalibratedRidgeTrainer(new() { Folds = 4, Seed = 9 });

        // When fitted twice
        var first = trainer.Fit(x, y);
        var second = trainer.Fit(x, y);

        // Then it has 4 members and both fits agree exactly
        Assert.Equal(4, first.Members.Length);
        Assert.Equal(first.Probabilities(x), second.Probabilities(x));
    }

    [Fact]
    public void Fit_Ranking_BeatsChanceOnLearnableData()
    {
        // Given data whose labels follow a linear rule with noise
        var (x, y) = RidgeClassifierTrainerTests.RandomData(seed: 13, rows: 400, columns: 4);

        // When the default calibrated ridge is fitted
        var model = new CalibratedRidgeTrainer().Fit(x, y);

        // Then its probabilities rank the rows far better than chance and stay in [0, 1]
        var p = model.Probabilities(x);
        Assert.All(p, v => Assert.InRange(v, 0, 1));
        Assert.True(Metrics.RocAuc(p, y) > 0.8, $"AUC {Metrics.RocAuc(p, y)}");
    }

    [Fact]
    public void Constructor_FoldsBelowTwo_ThrowsNamingOption()
    {
        // Given one fold, when the trainer is created, then the option is named
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new CalibratedRidgeTrainer(new() { Folds = 1 }));

        Assert.Equal("Folds", e.ParamName);
    }

    private static CalibratedRidgeTrainer Trainer(SklearnParity parity, CalibrationMethod method)
    {
        Assert.Equal("i % 3 == k", parity.CvFoldRule);
        Assert.True(parity.CvEnsemble);
        return new CalibratedRidgeTrainer(new()
        {
            Ridge = new() { Alpha = parity.CvAlpha, ClassWeight = parity.CvClassWeight },
            Method = method,
        });
    }

    private static List<IndexSplit> SklearnFolds(SklearnParity parity) =>
        [.. Enumerable.Range(0, 3).Select(k => new IndexSplit(
            [.. Enumerable.Range(0, parity.Y.Length).Where(i => i % 3 != k)],
            [.. Enumerable.Range(0, parity.Y.Length).Where(i => i % 3 == k)]))];
}
