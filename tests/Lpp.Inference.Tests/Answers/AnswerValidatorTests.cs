namespace Lpp.Inference.Tests;

public sealed class AnswerValidatorTests
{
    [Fact]
    public void Validate_ContractAnswer_ParsesEveryField()
    {
        // Given a direct answer as the contract asks
        var answer = AnswerValidator.Validate("""{"outcome": 1, "p_correct": 87, "band": "VH"}""", chainOfThought: false);

        // Then it is valid, p_correct is snapped to 5 and the outcome's byte offset is that of the digit
        Assert.True(answer.IsValid, answer.Error);
        Assert.Equal(1, answer.Outcome);
        Assert.Equal(85, answer.PCorrect);
        Assert.Equal(ConfidenceBand.VH, answer.Band);
        Assert.Equal(12, answer.OutcomeOffset);
    }

    [Theory]
    [InlineData("\"yes\"", 1)]
    [InlineData("\"No\"", 0)]
    [InlineData("\"inconclusive_evidence\"", 2)]
    [InlineData("\"Inconclusive Definition\"", 3)]
    [InlineData("\"inconclusive-evidence\"", 2)]
    [InlineData("\"1 (yes)\"", 1)]
    [InlineData("\"3\"", 3)]
    [InlineData("2.0", 2)]
    public void Validate_OutcomeWords_AreNormalised(string outcome, int expected)
    {
        var answer = AnswerValidator.Validate($$"""{"outcome": {{outcome}}, "p_correct": 50, "band": "m"}""", false);

        Assert.True(answer.IsValid, answer.Error);
        Assert.Equal(expected, answer.Outcome);
        Assert.Equal(ConfidenceBand.M, answer.Band);
    }

    [Fact]
    public void Validate_StringOutcome_OffsetSkipsTheQuote()
    {
        var answer = AnswerValidator.Validate("""{"outcome":"1","p_correct":50,"band":"M"}""", false);

        Assert.Equal(12, answer.OutcomeOffset);
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(2.4, 0)]
    [InlineData(2.5, 5)]
    [InlineData(97.5, 100)]
    [InlineData(100, 100)]
    [InlineData(63, 65)]
    public void SnapToFive_RoundsToTheNearestMultiple(double value, int expected) => Assert.Equal(expected, AnswerValidator.SnapToFive(value));

    [Theory]
    [InlineData("""{"outcome": 4, "p_correct": 50, "band": "M"}""", "outcome 4 is not 0, 1, 2 or 3")]
    [InlineData("""{"outcome": "maybe", "p_correct": 50, "band": "M"}""", "outcome 'maybe' is not 0, 1, 2, 3 or one of their words")]
    [InlineData("""{"outcome": 1, "p_correct": 150, "band": "M"}""", "p_correct 150 is outside [0, 100]")]
    [InlineData("""{"outcome": 1, "p_correct": 50, "band": "XL"}""", "band 'XL' is not one of VL, L, M, H, VH")]
    [InlineData("""{"p_correct": 50, "band": "M"}""", "the answer has no outcome")]
    [InlineData("""{"outcome": 1, "band": "M"}""", "the answer has no p_correct")]
    [InlineData("I think yes", "the answer is not a JSON object")]
    [InlineData("", "the answer is empty")]
    public void Validate_BrokenContract_SaysWhy(string content, string reason)
    {
        var answer = AnswerValidator.Validate(content, false);

        Assert.False(answer.IsValid);
        Assert.Equal(reason, answer.Error);
        Assert.Null(answer.Outcome);
    }

    [Fact]
    public void Validate_TruncatedJson_IsInvalid()
    {
        var answer = AnswerValidator.Validate("""{"outcome": 1, "p_correct": 5""", false);

        Assert.False(answer.IsValid);
        Assert.StartsWith("the answer is not valid JSON", answer.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_ChainOfThought_NeedsExactlyThreeSteps()
    {
        const string two = """{"outcome":0,"p_correct":70,"band":"H","reasoning_steps":[{"step_number":1,"description":"a"},{"step_number":2,"description":"b"}]}""";
        const string three = """{"outcome":0,"p_correct":70,"band":"H","reasoning_steps":[{"step_number":1,"description":"a"},{"step_number":2,"description":"b"},{"step_number":3,"description":"c"}]}""";

        var invalid = AnswerValidator.Validate(two, chainOfThought: true);
        var valid = AnswerValidator.Validate(three, chainOfThought: true);

        Assert.Equal("reasoning_steps has 2 steps, not exactly 3", invalid.Error);
        Assert.True(valid.IsValid, valid.Error);
        Assert.Equal(["a", "b", "c"], valid.Steps!.Select(s => s.Description));
        Assert.Equal(three.IndexOf('[', StringComparison.Ordinal), valid.ReasoningSpan!.Value.Start);
        Assert.Equal(three.Length - 1, valid.ReasoningSpan!.Value.End);
    }

    [Fact]
    public void Validate_CodeFence_FindsTheObject()
    {
        var answer = AnswerValidator.Validate("```json\n{\"outcome\": 0, \"p_correct\": 95, \"band\": \"VH\"}\n```", false);

        Assert.Equal(0, answer.Outcome);
        Assert.Equal(8 + 12, answer.OutcomeOffset);
    }
}
