namespace Lpp.Tests;

public sealed class FeatureAnalysisTests
{
    [Fact]
    public void Pearson_HandCalculation()
    {
        // x = 1..4, y = 1, 3, 2, 4: deviations ±1.5, ±0.5; sxy = 2.25 - 0.25 - 0.25 + 2.25 = 4, sxx = syy = 5, r = 0.8 (exact)
        Assert.Equal(0.8, FeatureAnalysis.Pearson([1, 2, 3, 4], [1, 3, 2, 4]), 12);
        Assert.True(double.IsNaN(FeatureAnalysis.Pearson([1, 1, 1], [1, 2, 3])));
    }

    [Theory]
    [InlineData(0.5)]
    [InlineData(-0.9)]
    [InlineData(0.1)]
    public void PValue_TwoDegreesOfFreedom_MatchesTheClosedForm(double r)
    {
        // With n = 4 (2 degrees of freedom) the Student t tail has a closed form: P(|T| >= |t|) = 1 - |t| / sqrt(t^2 + 2),
        // t = r sqrt(2 / (1 - r^2)); for r = 0.5 that is exactly 0.5. 1e-12
        var t = Math.Abs(r) * Math.Sqrt(2 / (1 - (r * r)));
        Assert.Equal(1 - (t / Math.Sqrt((t * t) + 2)), FeatureAnalysis.PValue(r, 4), 12);
    }

    [Fact]
    public void Of_RealRecords_GroupsOneSignalReadSeveralWaysAndFlagsItsCollinearity()
    {
        // Given gpt-4o/sat and the features of its alternatives
        var records = DecisionRecordReader.ReadValid(SharedData.Path("data/llm-confidence/gpt-4o/sat.jsonl")).ToList();
        var data = TrainingSet.From(records, new LppFeatureExtractor(new LppFeatureOptions()));
        string[] names = ["topk_msp", "topk_entropy", "label_mass", "verbalized_confidence", "reasoning_nll"];

        // When analysed
        var a = FeatureAnalysis.Of(data, names);

        // Then reasoning_nll (no record has reasoning) is left out; the max probability and the entropy of the same
        // alternatives fall in one group with opposite signs (by definition entropy falls as one answer takes the mass);
        // each p-value is the t-test of its own correlation; verbalized confidence is its own group
        Assert.Equal(names[..4], a.Features.Select(f => f.Name));
        var msp = a.Features.Single(f => f.Name == "topk_msp");
        var entropy = a.Features.Single(f => f.Name == "topk_entropy");
        Assert.Equal(msp.Group, entropy.Group);
        var group = a.Groups[msp.Group];
        Assert.Equal(-group.Signs[group.Members.ToList().IndexOf("topk_msp")], group.Signs[group.Members.ToList().IndexOf("topk_entropy")]);
        Assert.True(a.Correlations[0, 1] <= -FeatureAnalysis.DuplicateCorrelation);
        Assert.All(a.Features, f => Assert.Equal(FeatureAnalysis.PValue(f.Correlation, f.Present), f.PValue, 15));
        Assert.Equal(["verbalized_confidence"], a.Groups[a.Features.Single(f => f.Name == "verbalized_confidence").Group].Members);

        // and the VIFs follow: the two near-duplicates are mostly said by each other (VIF > 10), and each VIF is at least 1
        Assert.True(msp.Vif > 10 && entropy.Vif > 10, $"{msp.Vif} {entropy.Vif}");
        Assert.All(a.Features, f => Assert.True(f.Vif >= 1 - 1e-9, $"{f.Name}: {f.Vif}"));
    }
}
