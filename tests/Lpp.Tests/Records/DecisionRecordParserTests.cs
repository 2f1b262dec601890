using System.Text;

namespace Lpp.Tests;

public sealed class DecisionRecordParserTests
{
    private const string Valid = """{"id": "boolq/17", "source": {"task": "boolq", "model": "gpt-4o", "provider": "openai"}, "labels": ["False", "True"], "abstain_labels": {"Uncertain": "evidence", "It depends": "definition"}, "output": {"outcome": "True", "raw_answer": "True", "verbalized_confidence": 85, "band": "H", "outcome_top_logprobs": [{"token": "True", "logprob": -0.02}, {"token": " False", "logprob": -3.9}], "reasoning_tokens": [{"token": "The", "logprob": -0.1, "top_logprobs": [{"token": "The", "logprob": -0.1}]}]}, "truth": "True"}""";

    [Fact]
    public void Parse_IssueExample_ReadsEveryField()
    {
        // Given the example record of the format
        var parser = new DecisionRecordParser();

        // When it is parsed
        var record = parser.Parse(Encoding.UTF8.GetBytes(Valid));

        // Then every field is kept
        Assert.Equal("boolq/17", record.Id);
        Assert.Equal("gpt-4o", record.Source["model"]);
        Assert.Equal(["False", "True"], record.Schema.Labels);
        Assert.Equal(Attribution.Definition, record.Schema.AttributionOf("It depends"));
        Assert.Equal("True", record.Output.Outcome);
        Assert.Equal(85, record.Output.VerbalizedConfidence);
        Assert.Equal(ConfidenceBand.H, record.Output.Band);
        Assert.Equal([new TokenLogprob("True", -0.02), new TokenLogprob(" False", -3.9)], record.Output.OutcomeTopLogprobs);
        var reasoning = Assert.Single(record.Output.ReasoningTokens!);
        Assert.Equal("The", reasoning.Token);
        Assert.Equal([new TokenLogprob("The", -0.1)], reasoning.TopLogprobs);
        Assert.Equal("True", record.Truth);
        Assert.True(record.Correct);
    }

    [Fact]
    public void Parse_WrittenRecord_RoundTrips()
    {
        // Given a parsed record written back by DecisionRecordJson
        var parser = new DecisionRecordParser();
        var record = parser.Parse(Encoding.UTF8.GetBytes(Valid));

        // When the written form is parsed again
        var again = parser.Parse(Encoding.UTF8.GetBytes(DecisionRecordJson.ToJson(record)));

        // Then it is the same record
        Assert.Equal(DecisionRecordJson.ToJson(record), DecisionRecordJson.ToJson(again));
        Assert.Same(record.Schema, again.Schema);
    }

    [Theory]
    [InlineData("""{"labels": ["a"]}""", "missing id")]
    [InlineData("""{"id": 7, "labels": ["a"]}""", "id must be a string")]
    [InlineData("""{"id": "x"}""", "missing labels")]
    [InlineData("""{"id": "x", "labels": []}""", "labels must not be empty")]
    [InlineData("""{"id": "x", "labels": ["a", "a"]}""", "duplicate label 'a'")]
    [InlineData("""{"id": "x", "labels": ["a", 1]}""", "labels[1] must be a string")]
    [InlineData("""{"id": "x", "labels": ["a"], "output": {"outcome": 1}}""", "output.outcome must be a string or null")]
    [InlineData("""{"id": "x", "labels": ["a"], "output": {"verbalized_confidence": 101}}""", "output.verbalized_confidence 101 is outside [0, 100]")]
    [InlineData("""{"id": "x", "labels": ["a"], "output": {"verbalized_confidence": "high"}}""", "output.verbalized_confidence must be a number in [0, 100] or null")]
    [InlineData("""{"id": "x", "labels": ["a"], "output": {"band": "XL"}}""", "output.band 'XL' is not one of VL, L, M, H, VH")]
    [InlineData("""{"id": "x", "labels": ["a"], "output": {"outcome_top_logprobs": [{"token": "a", "logprob": 0.5}]}}""", "output.outcome_top_logprobs[0].logprob 0.5 is positive")]
    [InlineData("""{"id": "x", "labels": ["a"], "output": {"outcome_top_logprobs": [{"token": "a", "logprob": "-1"}]}}""", "output.outcome_top_logprobs[0].logprob must be a number")]
    [InlineData("""{"id": "x", "labels": ["a"], "output": {"outcome_top_logprobs": [{"token": "a", "logprob": NaN}]}}""", "invalid JSON")]
    [InlineData("""{"id": "x", "labels": ["a"], "output": {"outcome_top_logprobs": [{"logprob": -1}]}}""", "output.outcome_top_logprobs[0].token is missing")]
    [InlineData("""{"id": "x", "labels": ["a"], "output": {"reasoning_tokens": [{"token": "t", "logprob": -1, "top_logprobs": [{"token": "u", "logprob": 2}]}]}}""", "output.reasoning_tokens[0].top_logprobs[0].logprob 2 is positive")]
    [InlineData("""{"id": "x", "labels": ["a"], "abstain_labels": {"?": "maybe"}}""", "abstain_labels['?'] must be \"evidence\" or \"definition\"")]
    [InlineData("""{"id": "x", "labels": ["a"], "truth": "b"}""", "truth 'b' is not one of labels [a]")]
    [InlineData("""{"id": "x", "labels": ["a"], "source": {"k": [1]}}""", "source.k must be a string")]
    [InlineData("""{"id": "x", "labels": ["a"], "weight": 0}""", "weight must be a positive finite number, got 0")]
    [InlineData("""{"id": "x", "labels": ["a"], "weight": -2.5}""", "weight must be a positive finite number, got -2.5")]
    [InlineData("""{"id": "x", "labels": ["a"], "weight": 1e999}""", "weight must be a positive finite number, got 1e999")]
    [InlineData("""{"id": "x", "labels": ["a"], "weight": "10"}""", "weight must be a positive finite number, got \"10\"")]
    [InlineData("""{"id": "x", "labels": ["a"], "weight": null}""", "weight must be a positive finite number, got null")]
    [InlineData("""{"id": "x", "labels": ["a"], "weight": {"w": 1}}""", "weight must be a positive finite number, got an object")]
    [InlineData("""{"id": "x", "labels": ["a"]""", "invalid JSON")]
    [InlineData("""[1, 2]""", "a record must be a JSON object")]
    [InlineData("""{"id": "x", "labels": ["a"]} {}""", "invalid JSON")]
    public void TryParse_BadRecord_NamesTheFieldAtFault(string line, string expectedReason)
    {
        // Given a record that breaks one rule
        var parser = new DecisionRecordParser();

        // When it is parsed
        var ok = parser.TryParse(Encoding.UTF8.GetBytes(line), out var record, out var error);

        // Then it is refused with a one-line reason naming the field
        Assert.False(ok);
        Assert.Null(record);
        Assert.StartsWith(expectedReason, error, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error!);
    }

    [Fact]
    public void Parse_NullsAndUnknownFields_AreAbsentSignals()
    {
        // Given a record whose signals are all null and that carries unknown fields
        const string line = """{"id": "x", "labels": ["0", "1"], "extra": {"nested": [1, {"a": null}]}, "output": {"outcome": null, "verbalized_confidence": null, "band": null, "outcome_top_logprobs": null, "reasoning_tokens": null, "response": {"big": true}}, "truth": null}""";

        // When it is parsed
        var record = new DecisionRecordParser().Parse(Encoding.UTF8.GetBytes(line));

        // Then every signal is absent, the outcome is invalid and correctness is unknown
        Assert.Null(record.Output.Outcome);
        Assert.Null(record.Output.VerbalizedConfidence);
        Assert.Null(record.Output.Band);
        Assert.Null(record.Output.OutcomeTopLogprobs);
        Assert.Null(record.Output.ReasoningTokens);
        Assert.True(record.OutcomeInvalid);
        Assert.Null(record.Correct);
    }

    [Theory]
    [InlineData("True", "True", true)]
    [InlineData("False", "True", false)]
    [InlineData("Uncertain", "True", false)]
    [InlineData(null, "True", false)]
    [InlineData("True", null, null)]
    public void Correct_FollowsTheDefinition(string? outcome, string? truth, bool? expected)
    {
        // Given an answer and a truth (abstentions and unparseable answers are incorrect)
        var record = new DecisionRecord
        {
            Id = "x",
            Schema = new LabelSchema(["False", "True"], [new("Uncertain", Attribution.Evidence)]),
            Output = new LlmOutput { Outcome = outcome },
            Truth = truth,
        };

        // Then correctness is as defined
        Assert.Equal(expected, record.Correct);
    }

    [Theory]
    [InlineData(",\"error\":\"cannot reach x: name not resolved\",\"error_kind\":\"transport\"", null, "cannot reach x: name not resolved")]
    [InlineData(",\"error\":\"HTTP 400: bad\",\"error_kind\":\"refused\"", null, "HTTP 400: bad")]
    [InlineData(",\"error\":\"media file a.png: outside the media root\",\"error_kind\":\"media\"", null, "media file a.png: outside the media root")]
    [InlineData(",\"error\":\"invalid answer after 3 retries: x\",\"error_kind\":\"invalid\"", "{\"outcome\": 9}", null)]
    [InlineData(",\"error\":\"old failure\"", null, "old failure")]
    [InlineData(",\"error\":\"invalid answer after 3 retries: x\"", "{\"outcome\": 9}", null)]
    [InlineData(",\"error\":null", null, null)]
    public void Parse_Error_SaysWhetherTheRecordHoldsAnAnswer(string errorFields, string? rawAnswer, string? expected)
    {
        // Given an lpp infer record with outcome null: a failed call has no raw answer, an invalid answer has one
        var raw = rawAnswer is null ? "null" : System.Text.Json.JsonSerializer.Serialize(rawAnswer);
        var line = $$"""{"id":"a/H","labels":["0","1"],"output":{"outcome":null,"raw_answer":{{raw}}},"truth":"1"{{errorFields}}}""";

        var record = new DecisionRecordParser().Parse(Encoding.UTF8.GetBytes(line));

        // Then only a failed call is without an answer; an invalid answer stays the LLM's (and counts as incorrect)
        Assert.Equal(expected, record.NoAnswer);
        Assert.False(record.Correct);
    }

    [Fact]
    public void Parse_UnknownErrorKind_IsRejectedNamingIt()
    {
        var e = Assert.Throws<RecordFormatException>(() => new DecisionRecordParser().Parse("""{"id":"a","labels":["0","1"],"error":"x","error_kind":"oops"}"""u8));

        Assert.Equal("error_kind 'oops' is not one of transport, refused, media, invalid", e.Message);
    }

    [Theory]
    [InlineData("""{"id": "x", "labels": ["a"]}""", 1.0)]
    [InlineData("""{"id": "x", "labels": ["a"], "weight": 10}""", 10.0)]
    [InlineData("""{"id": "x", "labels": ["a"], "weight": 3.3333333333333335}""", 3.3333333333333335)]
    public void Parse_Weight_AbsentMeansTheRecordStandsForItself(string line, double expected)
    {
        // Given a record with or without a weight
        var parser = new DecisionRecordParser();

        // When it is parsed and written back
        var record = parser.Parse(Encoding.UTF8.GetBytes(line));
        var again = parser.Parse(Encoding.UTF8.GetBytes(DecisionRecordJson.ToJson(record)));

        // Then the weight is the one given, 1 when absent, and survives the round trip (written only when not 1)
        Assert.Equal(expected, record.Weight);
        Assert.Equal(expected, again.Weight);
        Assert.Equal(expected != 1, DecisionRecordJson.ToJson(record).Contains("\"weight\"", StringComparison.Ordinal));
    }
}
