using CsCheck;

namespace Lpp.Tests;

public sealed class ThresholdSearchTests
{
    [Fact]
    public void Exact_RandomData_NoThresholdCostsLess()
    {
        // Property: the exact search is optimal - no threshold (every score, and beyond both ends) costs less
        Gen.Select(Gen.Double[0, 1].Array[1, 60], Gen.Bool.Array[60], Gen.Double[0.05, 0.95]).Sample((scores, flags, cReview) =>
        {
            var correct = flags[..scores.Length];
            var cost = new CostModel(CostForm.Paper, 1, cReview);
            var best = ThresholdSearch.CostAt(scores, correct, cost, ThresholdSearch.Exact(scores, correct, cost));
            foreach (var candidate in scores.Append(double.NegativeInfinity).Append(double.PositiveInfinity))
            {
                Assert.True(best <= ThresholdSearch.CostAt(scores, correct, cost, candidate) + 1e-9);
            }
        }, iter: 2000);
    }

    [Fact]
    public void Exact_MissingScores_AreAlwaysEscalated()
    {
        // Given one wrong answer with no score and one right answer scored 0.9
        double[] scores = [double.NaN, 0.9];
        bool[] correct = [false, true];

        // When the threshold is chosen, then the NaN is escalated at any threshold: cost = (0.64 - 1) for it, 0 for the trusted right one
        var tau = ThresholdSearch.Exact(scores, correct, CostModel.Default);
        Assert.Equal(-0.36, ThresholdSearch.CostAt(scores, correct, CostModel.Default, tau), 12);
        Assert.Equal(-0.36, ThresholdSearch.CostAt(scores, correct, CostModel.Default, double.NegativeInfinity), 12);
    }

    [Fact]
    public void Grid_IsNumpyLinspaceAndTakesTheFirstBest()
    {
        // Given scores where every threshold in (0.4, 0.6] costs the same and less than the rest
        double[] scores = [0.2, 0.4, 0.6, 0.8];
        bool[] correct = [false, false, true, true];

        // When the paper's grid (linspace(0.35, 0.70, 100)) is swept
        var tau = ThresholdSearch.Grid(scores, correct, CostModel.Default, 0.35, 0.70, 100);

        // Then the first grid point above 0.4 wins: 0.35 + 0.35 * 15/99 = 0.40303... (numpy.linspace(0.35, 0.7, 100)[15])
        Assert.Equal(0.35 + (0.35 * 15 / 99), tau, 12);
    }
}
