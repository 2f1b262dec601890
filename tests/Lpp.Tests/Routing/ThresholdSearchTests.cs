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
    public void Grid_WrongItemsAboveHigh_SweepsNoThresholdPastHigh()
    {
        // Given two wrong answers scoring above the grid's top (0.7 and 0.8 against linspace(0, 0.5, 2) = {0, 0.5})
        double[] scores = [0.7, 0.8];
        bool[] correct = [false, false];

        // When the grid is swept
        var tau = ThresholdSearch.Grid(scores, correct, CostModel.Default, 0, 0.5, 2);

        // Then both of its thresholds trust both items at the same cost, so the first, 0, wins; a sweep running one step
        // past the grid (tau = 1) would escalate both, which costs less, and win instead
        Assert.Equal(ThresholdSearch.CostAt(scores, correct, CostModel.Default, 0), ThresholdSearch.CostAt(scores, correct, CostModel.Default, 0.5));
        Assert.True(ThresholdSearch.CostAt(scores, correct, CostModel.Default, 1) < ThresholdSearch.CostAt(scores, correct, CostModel.Default, 0));
        Assert.Equal(0, tau);
    }

    [Fact]
    public void Searches_NullCost_Throw()
    {
        double[] scores = [0.5];
        bool[] correct = [true];

        // A grid of no steps computes no cost, so only the search's own check can refuse the missing cost model
        Assert.Throws<ArgumentNullException>(() => ThresholdSearch.Grid(scores, correct, null!, 0, 1, 0));
        Assert.Throws<ArgumentNullException>(() => ThresholdSearch.Exact(scores, correct, null!));
        Assert.Throws<ArgumentNullException>(() => ThresholdSearch.CostAt(scores, correct, null!, 0.5));
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

    [Fact]
    public void Exact_TwoThresholdsCostTheSame_TakesTheLowest()
    {
        // Given absolute cost (c_error 1, c_review 0.5) and scores 0.1 (right), 0.3 (wrong), 0.6 (right).
        // Hand calculation per threshold: escalate all 1.5; trust 0.6 only 0.5 + 0.5 = 1.0; trust 0.3 and 0.6: 1 + 0.5 = 1.5;
        // trust all: 1.0. So tau 0.45 and trusting everything tie at 1.0.
        double[] scores = [0.1, 0.3, 0.6];
        bool[] correct = [true, false, true];
        var cost = new CostModel(CostForm.Absolute, 1, 0.5);

        // When the threshold is searched exactly
        var tau = ThresholdSearch.Exact(scores, correct, cost);

        // Then the tie goes to the lowest threshold (fewest escalations): the lowest score itself, trusting everything
        Assert.Equal(0.1, tau);
        Assert.Equal(1.0, ThresholdSearch.CostAt(scores, correct, cost, tau), 12);
    }

    [Fact]
    public void Exact_OptimumBetweenTwoScores_IsTheirMidpoint()
    {
        // Given the paper's cost and scores 0.2 (wrong), 0.8 (right): escalating the wrong one (-0.36) and trusting the
        // right one (0) is best (hand calculation: -0.36 against 0.64 - 0.36 = 0.28 escalating both, 1 trusting both)
        double[] scores = [0.8, 0.2];
        bool[] correct = [true, false];

        // When the threshold is searched exactly, then it is the midpoint (0.2 + 0.8) / 2
        Assert.Equal(0.5, ThresholdSearch.Exact(scores, correct, CostModel.Default), 15);
    }

    [Fact]
    public void Exact_EscalatingEverythingIsBest_IsJustAboveTheHighestScore()
    {
        // Given only wrong answers (escalating each saves 0.36 against trusting it at cost 1)
        double[] scores = [0.3, 0.7];
        bool[] correct = [false, false];

        // When the threshold is searched exactly
        var tau = ThresholdSearch.Exact(scores, correct, CostModel.Default);

        // Then it is the next double above 0.7: nothing is trusted
        Assert.Equal(Math.BitIncrement(0.7), tau);
        Assert.Equal(1.0, ThresholdSearch.Exact([], [], CostModel.Default));
    }

    [Fact]
    public void Grid_TwoGridPointsCostTheSame_TakesTheFirst()
    {
        // Given the same tie as above on the grid 0, 0.25, 0.5, 0.75, 1 (exact in binary): trusting all (tau 0) and
        // trusting 0.6 only (tau 0.5) both cost 1.0 (hand calculation), the rest 1.5
        double[] scores = [0.1, 0.3, 0.6];
        bool[] correct = [true, false, true];
        var cost = new CostModel(CostForm.Absolute, 1, 0.5);

        // When the grid is swept, then its first point of least cost wins
        Assert.Equal(0.0, ThresholdSearch.Grid(scores, correct, cost, 0, 1, 5));
        Assert.Equal(0.5, ThresholdSearch.Grid(scores, correct, cost, 0.25, 1, 4));
    }

    [Fact]
    public void Grid_OneStep_IsTheLowEnd()
    {
        Assert.Equal(0.3, ThresholdSearch.Grid([0.1, 0.9], [false, true], CostModel.Default, 0.3, 0.7, 1));
    }

    [Fact]
    public void CostAt_CountsEachOutcome()
    {
        // Given scores and truth covering TP (0.9 right), FP (0.8 wrong), TN (0.2 wrong), FN (0.3 right), and NaN wrong (TN)
        double[] scores = [0.9, 0.8, 0.2, 0.3, double.NaN];
        bool[] correct = [true, false, false, true, false];

        // When costed at tau 0.5 with absolute cost c_error 2, c_review 0.5: FP 1, TN 2, FN 1 -> 2 + 0.5 * 3 = 3.5 (hand)
        Assert.Equal(3.5, ThresholdSearch.CostAt(scores, correct, new CostModel(CostForm.Absolute, 2, 0.5), 0.5), 12);
    }

    [Fact]
    public void CostAt_Weights_MultiplyEachOutcomesCost()
    {
        // Given TP 0.9 (weight 2), FP 0.8 (weight 3), TN 0.2 (weight 0.5), FN 0.3 (weight 4), and a NaN wrong one (TN, weight 1.5)
        double[] scores = [0.9, 0.8, 0.2, 0.3, double.NaN];
        bool[] correct = [true, false, false, true, false];
        double[] weights = [2, 3, 0.5, 4, 1.5];

        // When costed at tau 0.5 with absolute cost c_error 2, c_review 0.5: FP 3, TN 2, FN 4 -> 2 * 3 + 0.5 * 6 = 9 (hand)
        Assert.Equal(9, ThresholdSearch.CostAt(scores, correct, new CostModel(CostForm.Absolute, 2, 0.5), 0.5, weights), 12);
    }

    [Fact]
    public void Exact_Weights_MoveTheOptimum()
    {
        // Given 0.2 wrong, 0.4 right, 0.6 wrong, 0.8 right and the paper's cost (trusted wrong 1, escalated right 0.64,
        // escalated wrong -0.36). Hand calculation of the cost of trusting the scores from each one up:
        //   unweighted: none 0.56, from 0.8 -0.08, from 0.6 1.28, from 0.4 0.64, all 2: best 0.7 (between 0.6 and 0.8)
        //   0.4 weighing 3: none 1.84, from 0.8 1.2, from 0.6 2.56, from 0.4 0.64, all 2: best 0.3 (between 0.2 and 0.4)
        double[] scores = [0.2, 0.4, 0.6, 0.8];
        bool[] correct = [false, true, false, true];

        // When the threshold is searched exactly with and without the weights
        var unweighted = ThresholdSearch.Exact(scores, correct, CostModel.Default);
        var weighted = ThresholdSearch.Exact(scores, correct, CostModel.Default, [1, 3, 1, 1]);

        // Then the weights move it, and its weighted cost is the hand-calculated 0.64
        Assert.Equal(0.7, unweighted, 15);
        Assert.Equal(0.3, weighted, 15);
        Assert.Equal(0.64, ThresholdSearch.CostAt(scores, correct, CostModel.Default, weighted, [1, 3, 1, 1]), 12);
    }

    [Fact]
    public void Exact_IntegerWeights_AreTheSameAsRepeatingTheItems()
    {
        // Given 0.9 wrong (weight 1) and 0.5 right (weight 2), the paper's cost: lowering τ past 0.9 adds 1 + 0.36 =
        // 1.36, past 0.5 adds 2 x (0 - 0.64) = -1.28 (hand calculation), so trusting both costs 0.08 more than
        // escalating both and the least cost is to escalate everything: τ just above 0.9
        double[] scores = [0.9, 0.5];
        bool[] correct = [false, true];

        // When the threshold is searched with the weights, and without weights on the items repeated as often
        var weighted = ThresholdSearch.Exact(scores, correct, CostModel.Default, [1, 2]);
        var repeated = ThresholdSearch.Exact([0.9, 0.5, 0.5], [false, true, true], CostModel.Default);

        // Then both escalate everything
        Assert.Equal(Math.BitIncrement(0.9), weighted);
        Assert.Equal(repeated, weighted);
    }

    [Fact]
    public void Searches_BadWeights_AreRefusedNamingTheRow()
    {
        var e = Assert.Throws<ArgumentException>(() => ThresholdSearch.Exact([0.1, 0.2], [true, false], CostModel.Default, [1, -1]));
        Assert.StartsWith("weight at row 1 is -1; weights must be positive and finite", e.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => ThresholdSearch.CostAt([0.1, 0.2], [true, false], CostModel.Default, 0.5, [1]));
    }

    [Fact]
    public void Searches_LengthsDiffer_AreRefusedNamingBoth()
    {
        var e = Assert.Throws<ArgumentException>(() => ThresholdSearch.Exact([0.1, 0.2], [true], CostModel.Default));
        Assert.Equal("2 scores but 1 outcomes", e.Message);
        Assert.Throws<ArgumentException>(() => ThresholdSearch.Grid([0.1], [true, false], CostModel.Default, 0, 1, 3));

        // More scores than outcomes too, and on a grid of no steps, which reads neither
        Assert.Equal("2 scores but 1 outcomes", Assert.Throws<ArgumentException>(() => ThresholdSearch.Grid([0.1, 0.2], [true], CostModel.Default, 0, 1, 0)).Message);
        Assert.Throws<ArgumentException>(() => ThresholdSearch.CostAt([0.1], [], CostModel.Default, 0.5));
    }
}
