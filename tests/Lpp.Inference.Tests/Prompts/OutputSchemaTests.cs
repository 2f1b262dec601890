using System.Text.Json;

namespace Lpp.Inference.Tests;

public sealed class OutputSchemaTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void OpenAi_IsStrictWithOutcomeFirst(bool cot)
    {
        using var schema = JsonDocument.Parse(OutputSchema.OpenAi(cot));

        var properties = schema.RootElement.GetProperty("properties").EnumerateObject().Select(p => p.Name).ToList();
        Assert.Equal(OutputSchema.PropertyOrder(cot), properties);
        Assert.Equal(properties, schema.RootElement.GetProperty("required").EnumerateArray().Select(e => e.GetString()));
        Assert.False(schema.RootElement.GetProperty("additionalProperties").GetBoolean());
        Assert.Equal([0, 1, 2, 3], schema.RootElement.GetProperty("properties").GetProperty("outcome").GetProperty("enum").EnumerateArray().Select(e => e.GetInt32()));
    }

    [Fact]
    public void Gemini_HasPropertyOrderingOutcomeFirst()
    {
        using var schema = JsonDocument.Parse(OutputSchema.Gemini(true));

        Assert.Equal(["outcome", "p_correct", "band", "reasoning_steps"], schema.RootElement.GetProperty("propertyOrdering").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("OBJECT", schema.RootElement.GetProperty("type").GetString());
    }
}
