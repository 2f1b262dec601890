namespace Lpp.Tests;

public sealed class ExperimentDatasetResultTests
{
    private static readonly CostModel Paper = new(CostForm.Paper, 1, 0.64);

    private static ExperimentSplit Split(int seed, int testRecords, int testErrors, double alwaysTrust, double msp, double? meta) =>
        new(seed, 30, testRecords, testErrors, new Dictionary<Method, MethodMetrics>
        {
            [Method.AlwaysTrust] = new() { Cost = alwaysTrust },
            [Method.Msp] = new() { Cost = msp },
            [Method.MetaModel] = new() { Cost = meta ?? double.NaN },
        }.Where(p => meta is not null || p.Key != Method.MetaModel).ToDictionary(), [], []);

    [Fact]
    public void EscalateEverythingCost_FromTheSplitCounts_MatchesTheHandCalculation()
    {
        // Given two splits of 10 test records with 2 and 4 errors, in the paper's form (c_error 1, c_review 0.64)
        var result = new ExperimentDatasetResult("d", "m", "t", 40, 8, 0, [Split(1, 10, 2, 2, 1.5, 1.2), Split(2, 10, 4, 4, 3, 3.4)], null, null);

        // When the cost of escalating everything is counted
        var cost = result.EscalateEverythingCost(Paper);

        // Then by hand: 2 × (0.64 − 1) + 8 × 0.64 = 4.40 and 4 × (−0.36) + 6 × 0.64 = 2.40
        Assert.Equal(2, cost.Count);
        Assert.Equal(4.40, cost.Max, 9);
        Assert.Equal(2.40, cost.Min, 9);
    }

    [Fact]
    public void CheapestSimplePolicy_PairedDifference_MatchesTheHandCalculation()
    {
        // Given always trust (2, 4), escalate everything (4.40, 2.40) and msp (1.5, 3) on two splits, the meta-model (1.2, 3.4)
        var result = new ExperimentDatasetResult("d", "m", "t", 40, 8, 0, [Split(1, 10, 2, 2, 1.5, 1.2), Split(2, 10, 4, 4, 3, 3.4)], null, null);

        // When the cheapest simple policy is found and the meta-model compared with it split by split
        var (name, difference) = result.CheapestSimplePolicy(Paper);

        // Then msp (mean 2.25 against 3.00 and 3.40); differences −0.3 and +0.4: mean 0.05, sample sd √0.245 (by hand)
        Assert.Equal("msp", name);
        Assert.Equal(2, difference.Count);
        Assert.Equal(0.05, difference.Mean, 9);
        Assert.Equal(Math.Sqrt(0.245), difference.Sd, 9);
    }

    [Fact]
    public void CheapestSimplePolicy_EscalatingIsCheapest_NamesItAndSkipsSplitsWithoutTheMetaModel()
    {
        // Given mostly wrong answers (8 of 10), where escalating everything costs 8 × (−0.36) + 2 × 0.64 = −1.60, and a
        // second split on which the meta-model could not train
        var result = new ExperimentDatasetResult("d", "m", "t", 40, 16, 0, [Split(1, 10, 8, 8, 1, -1.5), Split(2, 10, 8, 8, 1, null)], null, null);

        // When compared
        var (name, difference) = result.CheapestSimplePolicy(Paper);

        // Then escalate-everything is the cheapest and only the split with a meta-model is compared: −1.5 − (−1.6) = 0.1
        Assert.Equal("escalate_everything", name);
        Assert.Equal(1, difference.Count);
        Assert.Equal(0.1, difference.Mean, 9);
    }
}
