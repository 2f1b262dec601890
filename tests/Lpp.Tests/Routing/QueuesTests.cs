namespace Lpp.Tests;

public sealed class QueuesTests
{
    [Theory]
    [InlineData(RoutingReason.Confident, "confident")]
    [InlineData(RoutingReason.LowConfidence, "low_confidence")]
    [InlineData(RoutingReason.AbstainEvidence, "abstain_evidence")]
    [InlineData(RoutingReason.AbstainDefinition, "abstain_definition")]
    [InlineData(RoutingReason.InvalidOutput, "invalid_output")]
    [InlineData(RoutingReason.NoAnswer, "no_answer")]
    [InlineData(RoutingReason.OverCapacity, "over_capacity")]
    public void ReasonName_EachReason_IsItsSnakeCaseNameInDecisions(RoutingReason reason, string name)
    {
        // The names decisions, the audit log and the metrics carry (README, "Decisions"): a public contract
        Assert.Equal(name, Queues.ReasonName(reason));
    }

    [Fact]
    public void ReasonName_EveryReason_HasItsOwnName()
    {
        var names = Enum.GetValues<RoutingReason>().Select(Queues.ReasonName).ToList();

        Assert.Equal(names.Count, names.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void Escalation_And_Reviewable_NameTheQueuesInOrder()
    {
        // The escalation queues hold escalated items; reviewers also take the audit sample of trusted items
        Assert.Equal(["review", "senior_review", "policy_review"], Queues.Escalation);
        Assert.Equal(["review", "senior_review", "policy_review", "audit"], Queues.Reviewable);
        Assert.Equal(("auto", "audit"), (Queues.Auto, Queues.Audit));
    }
}
