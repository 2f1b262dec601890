namespace Lpp.Tests;

public sealed class ContributionGroupsTests
{
    [Theory]
    [InlineData(new[] { "logodds_margin", "label_logodds_margin" }, "margin")]
    [InlineData(new[] { "label_confidence", "topk_entropy", "topk_msp", "label_msp" }, "entropy / max probability")]
    [InlineData(new[] { "label_confidence", "topk_entropy", "topk_msp", "topk_margin", "label_msp" }, "decision-token confidence")]
    [InlineData(new[] { "topk_ratio", "label_ratio" }, "probability ratio")]
    [InlineData(new[] { "reasoning_nll", "reasoning_ppl" }, "reasoning likelihood")]
    [InlineData(new[] { "abstain_any", "abstain_evidence" }, "abstention")]
    [InlineData(new[] { "verbalized_confidence", "band_h", "has_verbalized" }, "verbalized confidence / confidence band / verbalized confidence present")]
    public void NameOf_Members_NamesTheSignalsTheyRead(string[] members, string name)
    {
        // The distinct signals of the members, lead first (the words of the feature table in the README)
        Assert.Equal(name, ContributionGroups.NameOf(members));
    }

    [Fact]
    public void Label_TwoMembers_ListsBoth()
    {
        var group = new ContributionGroup("margin", ["logodds_margin", "label_logodds_margin"], [1, 1]);

        Assert.Equal("margin (logodds_margin, label_logodds_margin)", group.Label);
    }

    [Fact]
    public void Label_FiveMembers_ListsThreeAndCountsTheRest()
    {
        var group = new ContributionGroup("entropy / max probability", ["label_confidence", "topk_entropy", "topk_msp", "label_msp", "label_entropy"], [1, -1, 1, 1, -1]);

        Assert.Equal("entropy / max probability (label_confidence, topk_entropy, topk_msp and 2 more)", group.Label);
    }

    [Theory]
    [InlineData("", new[] { "a_x", "b_y" }, new[] { 1, 1 }, "a contribution group needs a name")]
    [InlineData("m", new[] { "a_x" }, new[] { 1 }, "contribution group 'm' needs at least two distinct members (got a_x)")]
    [InlineData("m", new[] { "a_x", "a_x" }, new[] { 1, 1 }, "contribution group 'm' needs at least two distinct members (got a_x, a_x)")]
    [InlineData("m", new[] { "a_x", "b_y" }, new[] { 1, 0 }, "contribution group 'm' needs one sign, +1 or -1, per member")]
    [InlineData("m", new[] { "a_x", "b_y" }, new[] { 1 }, "contribution group 'm' needs one sign, +1 or -1, per member")]
    public void Constructor_BadGroup_IsRefusedNamingWhatIsWrong(string name, string[] members, int[] signs, string message)
    {
        var e = Assert.Throws<ArgumentException>(() => new ContributionGroup(name, members, signs));

        Assert.StartsWith(message, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_FeatureInTwoGroups_IsRefused()
    {
        var e = Assert.Throws<ArgumentException>(() => new ContributionGroups(0.95,
        [
            new ContributionGroup("margin", ["logodds_margin", "label_logodds_margin"], [1, 1]),
            new ContributionGroup("margin", ["label_logodds_margin", "topk_margin"], [1, 1]),
        ]));

        Assert.StartsWith("feature 'label_logodds_margin' is in two contribution groups", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(1.5)]
    [InlineData(double.NaN)]
    public void Constructor_ThresholdOutsideZeroToOne_IsRefused(double threshold)
    {
        Assert.Throws<ArgumentException>(() => new ContributionGroups(threshold, []));
    }
}
