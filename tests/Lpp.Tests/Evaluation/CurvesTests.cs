namespace Lpp.Tests;

public sealed class CurvesTests
{
    [Fact]
    public void Roc_HandExample_PointsAndAreaMatch()
    {
        // Given scores 0.9 (right), 0.8 (wrong), 0.7 (right), 0.1 (wrong)
        double[] scores = [0.9, 0.8, 0.7, 0.1];
        bool[] correct = [true, false, true, false];

        // When the ROC curve is drawn
        var roc = Curves.Roc(scores, correct);

        // Then (hand) thresholds 0.9, 0.8, 0.7, 0.1 give (0,.5), (.5,.5), (.5,1), (1,1) after (0,0), and the trapezoid area is the AUC 0.75
        Assert.Equal([new(0, 0), new(0, 0.5), new(0.5, 0.5), new(0.5, 1), new(1, 1)], roc);
        var area = 0.0;
        for (var i = 1; i < roc.Count; i++)
        {
            area += (roc[i].FalsePositiveRate - roc[i - 1].FalsePositiveRate) * (roc[i].TruePositiveRate + roc[i - 1].TruePositiveRate) / 2;
        }

        Assert.Equal(Metrics.RocAuc(scores, [1, 0, 1, 0]), area, 12);
    }

    [Fact]
    public void Reliability_BinCountsSumToScoredRecords()
    {
        // Given 7 scores including the edges 0 and 1 and a missing score
        double[] scores = [0, 0.05, 0.15, 0.5, 0.95, 1, double.NaN];
        bool[] correct = [false, false, true, true, true, true, false];

        // When binned in 10
        var bins = Curves.Reliability(scores, correct);

        // Then counts sum to the 6 scored records; 1.0 falls in the last bin; the first bin has 2 wrong (accuracy 0)
        Assert.Equal(10, bins.Count);
        Assert.Equal(6, bins.Sum(b => b.Count));
        Assert.Equal(2, bins[^1].Count);
        Assert.Equal(0.975, bins[^1].MeanScore, 12);
        Assert.Equal((2, 0.0), (bins[0].Count, bins[0].Accuracy));
        Assert.True(double.IsNaN(bins[3].Accuracy));
    }

    [Fact]
    public void CostAgainstTau_EveryPointMatchesCostAt()
    {
        // Given scores with a tie and a missing score
        double[] scores = [0.9, 0.6, 0.6, 0.3, double.NaN];
        bool[] correct = [true, false, true, false, true];

        // When the cost curve is computed
        var curve = Curves.CostAgainstTau(scores, correct, CostModel.Default);

        // Then each point's cost equals ThresholdSearch.CostAt at its tau, taus increase, and the last escalates all
        Assert.Equal(4, curve.Count);
        foreach (var point in curve)
        {
            Assert.Equal(ThresholdSearch.CostAt(scores, correct, CostModel.Default, point.Tau), point.Cost, 12);
        }

        Assert.True(curve.Zip(curve.Skip(1)).All(p => p.First.Tau < p.Second.Tau));
        Assert.Equal(1.0, curve[^1].EscalationRatio);
        Assert.Equal(0.2, curve[0].EscalationRatio, 12);
    }
}
