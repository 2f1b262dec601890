namespace Lpp.Tests;

public sealed class LabelSchemaTests
{
    [Fact]
    public void Moderation_IsThePapersSchema()
    {
        // Given the moderation schema of the paper
        var schema = LabelSchema.Moderation;

        // Then 0/1 decide, 2 abstains for evidence and 3 for definition
        Assert.Equal(["0", "1"], schema.Labels);
        Assert.Equal(["0", "1", "2", "3"], schema.AllLabels);
        Assert.Equal(Attribution.Evidence, schema.AttributionOf("2"));
        Assert.Equal(Attribution.Definition, schema.AttributionOf("3"));
        Assert.Null(schema.AttributionOf("1"));
        Assert.True(schema.IsDecisionLabel("1"));
        Assert.False(schema.IsDecisionLabel("2"));
    }

    [Fact]
    public void Constructor_AbstentionAlsoADecisionLabel_Throws()
    {
        var e = Assert.Throws<ArgumentException>(() => new LabelSchema(["a", "b"], [new("a", Attribution.Evidence)]));
        Assert.Contains("abstention label 'a' is also a decision label", e.Message, StringComparison.Ordinal);
    }
}
