namespace Lpp.Inference;

/// <summary>
/// The output contract as JSON schemas, <c>outcome</c> first so that the decision is generated before anything else:
/// <c>outcome</c> 0-3, <c>p_correct</c> 0-100, <c>band</c> VL/L/M/H/VH and, for chain of thought,
/// <c>reasoning_steps</c>: exactly three <c>{step_number, description}</c>.
/// </summary>
public static class OutputSchema
{
    /// <summary>The schema name sent to OpenAI-style servers.</summary>
    public const string Name = "classification";

    /// <summary>The property names in generation order.</summary>
    public static IReadOnlyList<string> PropertyOrder(bool chainOfThought) =>
        chainOfThought ? ["outcome", "p_correct", "band", "reasoning_steps"] : ["outcome", "p_correct", "band"];

    /// <summary>JSON Schema for OpenAI strict structured outputs (every property required, no additional properties).</summary>
    public static string OpenAi(bool chainOfThought)
    {
        var steps = chainOfThought
            ? ""","reasoning_steps":{"type":"array","minItems":3,"maxItems":3,"items":{"type":"object","properties":{"step_number":{"type":"integer","enum":[1,2,3]},"description":{"type":"string"}},"required":["step_number","description"],"additionalProperties":false}}"""
            : string.Empty;
        var required = string.Join(',', PropertyOrder(chainOfThought).Select(p => $"\"{p}\""));
        return "{\"type\":\"object\",\"properties\":{"
            + """ "outcome":{"type":"integer","enum":[0,1,2,3]},"p_correct":{"type":"integer","minimum":0,"maximum":100},"band":{"type":"string","enum":["VL","L","M","H","VH"]}"""
            + steps
            + "},\"required\":[" + required + "],\"additionalProperties\":false}";
    }

    /// <summary>The Gemini <c>responseSchema</c> (OpenAPI subset, upper-case types, with <c>propertyOrdering</c>).</summary>
    public static string Gemini(bool chainOfThought)
    {
        var steps = chainOfThought
            ? ""","reasoning_steps":{"type":"ARRAY","minItems":3,"maxItems":3,"items":{"type":"OBJECT","properties":{"step_number":{"type":"INTEGER"},"description":{"type":"STRING"}},"required":["step_number","description"],"propertyOrdering":["step_number","description"]}}"""
            : string.Empty;
        var order = string.Join(',', PropertyOrder(chainOfThought).Select(p => $"\"{p}\""));
        return "{\"type\":\"OBJECT\",\"properties\":{"
            + """ "outcome":{"type":"INTEGER","minimum":0,"maximum":3},"p_correct":{"type":"INTEGER","minimum":0,"maximum":100},"band":{"type":"STRING","enum":["VL","L","M","H","VH"]}"""
            + steps
            + "},\"required\":[" + order + "],\"propertyOrdering\":[" + order + "]}";
    }
}
