namespace Lpp.Tests;

public sealed class MetricsTests
{
    [Fact]
    public void RocAuc_SklearnScores_MatchesRocAucScore()
    {
        // scikit-learn 1.2.1 roc_auc_score(y, score), ../shared/parity/sklearn-meta-model.json, 1e-12
        var parity = SklearnParity.Load();

        var auc = Metrics.RocAuc(parity.MetricScore, parity.Y);

        Close.Relative(parity.RocAuc, auc, 1e-12);
    }

    [Fact]
    public void F1_SklearnPredictions_MatchesErrorClassAndMacroF1()
    {
        // scikit-learn 1.2.1 f1_score(y, pred_at_0, pos_label=0) and f1_score(..., average="macro"), ../shared/parity/sklearn-meta-model.json, 1e-12
        var parity = SklearnParity.Load();

        var errorClass = Metrics.F1(parity.Y, parity.PredAt0, positiveClass: 0);
        var macro = Metrics.MacroF1(parity.Y, parity.PredAt0);

        Close.Relative(parity.F1ErrorClass, errorClass, 1e-12);
        Close.Relative(parity.F1Macro, macro, 1e-12);
    }

    [Fact]
    public void RocAuc_SklearnDocExample_IsThreeQuarters()
    {
        // scikit-learn's roc_auc_score documentation example: y (0, 0, 1, 1), scores (0.1, 0.4, 0.35, 0.8) give 0.75
        Assert.Equal(0.75, Metrics.RocAuc([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1]));
    }

    [Fact]
    public void RocAuc_Ties_CountOneHalf()
    {
        // Given one negative tied with one of two positives: pairs (win, tie) → (1 + 0.5)/2 (closed form, exact)
        Assert.Equal(0.75, Metrics.RocAuc([0.5, 0.5, 0.9], [0, 1, 1]));
        Assert.Equal(0.5, Metrics.RocAuc([1, 1, 1, 1], [0, 1, 0, 1]));
    }

    [Fact]
    public void RocAuc_OneClass_ThrowsNamingCounts()
    {
        var e = Assert.Throws<ArgumentException>(() => Metrics.RocAuc([0.1, 0.2], [1, 1]));

        Assert.Contains("got 0 of class 0 and 2 of class 1", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void F1_SmallCase_IsTwoTpOverTwoTpPlusFpPlusFn()
    {
        // Given TP = 2, FP = 1, FN = 1 for class 1: F1 = 4/6; class 0 has TP = 1, FP = 1, FN = 1: F1 = 2/4
        int[] truth = [1, 1, 1, 0, 0];
        int[] predicted = [1, 1, 0, 1, 0];

        Close.Relative(4.0 / 6, Metrics.F1(truth, predicted, 1), 1e-15);
        Close.Relative(0.5, Metrics.F1(truth, predicted, 0), 1e-15);
        Close.Relative(((4.0 / 6) + 0.5) / 2, Metrics.MacroF1(truth, predicted), 1e-15);
    }

    [Fact]
    public void F1_ClassNeverTrueNorPredicted_IsZero()
    {
        Assert.Equal(0.0, Metrics.F1([1, 1], [1, 1], positiveClass: 0));
    }

    [Fact]
    public void LogLoss_Probabilities_AreMeanCrossEntropyWithClipping()
    {
        // p = 0.5 costs ln 2 per row; p = 0 for a class-1 row is clipped to ε = 2.22e-16 (sklearn eps="auto")
        Close.Relative(Math.Log(2), Metrics.LogLoss([0.5, 0.5], [0, 1]), 1e-15);
        Close.Relative(-Math.Log(2.220446049250313e-16), Metrics.LogLoss([0.0], [1]), 1e-15);
        Close.Relative((-Math.Log(0.8) - Math.Log(0.9)) / 2, Metrics.LogLoss([0.8, 0.1], [1, 0]), 1e-15);
    }

    [Fact]
    public void LogLoss_ProbabilityOutsideUnitInterval_ThrowsNamingIndex()
    {
        var e = Assert.Throws<ArgumentException>(() => Metrics.LogLoss([0.5, 1.5], [0, 1]));

        Assert.Contains("probability 1 is 1.5", e.Message, StringComparison.Ordinal);
    }
}
