using System.Text;

namespace Lpp.Inference.Tests;

public sealed class TokenAlignmentTests
{
    [Fact]
    public void Extract_SplitKeyTokens_FindsTheDigitBySpan()
    {
        // Given a JSON answer whose key is split by the tokenizer ({" outcome ": 1 ...)
        var response = OpenAiResponseParser.Parse(Bodies.OpenAi(Bodies.Direct1));
        var answer = AnswerValidator.Validate(response.Content, false);

        // When the outcome token is located
        var signals = TokenAlignment.Extract(response.Tokens, response.Content!, answer, false);

        // Then its alternatives are those of the digit token, sorted, and no reasoning is reported
        Assert.Null(signals.Problem);
        Assert.Equal(["1", "0", "2", "3", " "], signals.OutcomeTopLogprobs!.Select(a => a.Token));
        Assert.Equal(-0.01, signals.OutcomeTopLogprobs![0].Logprob);
        Assert.Null(signals.ReasoningTokens);
    }

    [Fact]
    public void Extract_DigitMergedWithSpace_PicksTheCoveringToken()
    {
        // GPT-2-style vocabularies merge the leading space: ": 1" -> ":", " 1"
        string[] pieces = ["{\"", "outcome", "\":", " 1", ", \"", "p_correct", "\": ", "80", ", \"", "band", "\": \"", "H", "\"}"];
        var response = OpenAiResponseParser.Parse(Bodies.OpenAi(pieces));
        var answer = AnswerValidator.Validate(response.Content, false);

        var signals = TokenAlignment.Extract(response.Tokens, response.Content!, answer, false);

        Assert.Equal(" 1", signals.OutcomeTopLogprobs![0].Token);
    }

    [Fact]
    public void Extract_ThinkingTokensBeforeTheContent_BecomeReasoning()
    {
        // Given tokens that spell thinking text before the answer (Ollama includes them)
        string[] pieces = ["Let", " me", " think", ".", .. Bodies.Direct1];
        var response = OpenAiResponseParser.Parse(Bodies.OpenAi(pieces));
        var content = string.Concat(Bodies.Direct1);
        var answer = AnswerValidator.Validate(content, false);

        var signals = TokenAlignment.Extract(response.Tokens, content, answer, false);

        Assert.Equal("1", signals.OutcomeTopLogprobs![0].Token);
        Assert.Equal(["Let", " me", " think", "."], signals.ReasoningTokens!.Select(t => t.Token));
    }

    [Fact]
    public void Extract_ChainOfThought_ReasoningTokensAreThoseOfTheSteps()
    {
        string[] pieces =
        [
            "{\"", "outcome", "\":", "0", ",\"", "p_correct", "\":", "70", ",\"", "band", "\":\"", "H", "\",\"", "reasoning_steps", "\":",
            "[{\"", "step_number", "\":", "1", ",\"", "description", "\":\"", "Calm", " text", "\"},{\"", "step_number", "\":", "2", ",\"", "description", "\":\"", "No", " target",
            "\"},{\"", "step_number", "\":", "3", ",\"", "description", "\":\"", "So", " no", "\"}]", "}",
        ];
        var response = OpenAiResponseParser.Parse(Bodies.OpenAi(pieces));
        var answer = AnswerValidator.Validate(response.Content, true);

        var signals = TokenAlignment.Extract(response.Tokens, response.Content!, answer, true);

        Assert.True(answer.IsValid, answer.Error);
        Assert.Equal("0", signals.OutcomeTopLogprobs![0].Token);
        Assert.Equal("[{\"", signals.ReasoningTokens![0].Token);
        Assert.Equal("\"}]", signals.ReasoningTokens![^1].Token);
        Assert.Contains(signals.ReasoningTokens!, t => t.Token == " target");
    }

    [Fact]
    public void Extract_TokensWithoutBytes_StillAlign()
    {
        var response = OpenAiResponseParser.Parse(Bodies.OpenAi(Bodies.Direct1, withBytes: false));
        var answer = AnswerValidator.Validate(response.Content, false);

        var signals = TokenAlignment.Extract(response.Tokens, response.Content!, answer, false);

        Assert.Equal("1", signals.OutcomeTopLogprobs![0].Token);
    }

    [Fact]
    public void Extract_NoLogprobs_IsMissingWithAReason()
    {
        var response = OpenAiResponseParser.Parse(Bodies.OpenAi(Bodies.Direct1, withLogprobs: false));
        var answer = AnswerValidator.Validate(response.Content, false);

        var signals = TokenAlignment.Extract(response.Tokens, response.Content!, answer, false);

        Assert.Null(signals.OutcomeTopLogprobs);
        Assert.Equal("the provider returned no logprobs", signals.Problem);
    }

    [Fact]
    public void Extract_TokensSpellingSomethingElse_IsMissingWithAReason()
    {
        var response = OpenAiResponseParser.Parse(Bodies.OpenAi(Bodies.Direct1));
        const string other = """{"outcome": 0, "p_correct": 50, "band": "M"}""";

        var signals = TokenAlignment.Extract(response.Tokens, other, AnswerValidator.Validate(other, false), false);

        Assert.Null(signals.OutcomeTopLogprobs);
        Assert.Equal("the tokens do not spell the answer", signals.Problem);
    }

    [Fact]
    public void Alternatives_ChosenTokenAbsent_IsAdded()
    {
        // Gemini: the chosen token need not appear among the top candidates
        var token = new GeneratedToken("1", -2.0, null, [new("0", -0.2), new("2", -3.0)]);

        var alternatives = TokenAlignment.Alternatives(token)!;

        Assert.Equal(["0", "1", "2"], alternatives.Select(a => a.Token));
    }

    [Fact]
    public void Parse_RecordedLogprobSession_BytesSpellTheContentExactly()
    {
        // Given the real recorded gpt-4o-mini session with logprobs (openai-dotnet ChatTests.TokenLogProbabilities):
        // 844 tokens whose bytes split multi-byte characters such as U+2019
        var response = OpenAiResponseParser.Parse(Bodies.Recorded("openai-dotnet_ChatTests_TokenLogProbabilities_True_.json"));

        // Then the concatenated token bytes are the content's UTF-8 bytes, every token has 3 alternatives, sorted
        var bytes = response.Tokens!.SelectMany(t => t.Bytes!).ToArray();
        Assert.Equal(844, response.Tokens!.Count);
        Assert.Equal(Encoding.UTF8.GetBytes(response.Content!), bytes);
        Assert.All(response.Tokens!, t => Assert.Equal(3, t.TopLogprobs!.Count));
        Assert.All(response.Tokens!, t => Assert.True(t.TopLogprobs![0].Logprob >= t.TopLogprobs[1].Logprob));
        Assert.Equal(-0.31062254309654236, response.Tokens![0].Logprob);
    }

    [Fact]
    public void Parse_RecordedStructuredOutput_HasContentAndNoLogprobs()
    {
        var response = OpenAiResponseParser.Parse(Bodies.Recorded("openai-dotnet_ChatTests_StructuredOutputsWork.json"));

        Assert.StartsWith("{\"answer\":", response.Content, StringComparison.Ordinal);
        Assert.Null(response.Tokens);
        Assert.NotNull(response.PromptTokens);
    }

    [Fact]
    public void Parse_AlpacaEvalJudgeChoices_AlternativesKeepCaseVariants()
    {
        // 40 real gpt-4-turbo choices[0] objects with 5 alternatives each (../shared/fixtures, alpaca_eval)
        using var doc = System.Text.Json.JsonDocument.Parse(File.ReadAllText(SharedData.Path("fixtures/alpaca-eval-gpt4-turbo-raw-completions.json")));
        var choices = doc.RootElement.GetProperty("items").EnumerateArray().ToList();

        foreach (var choice in choices)
        {
            var response = OpenAiResponseParser.Parse("{\"choices\":[" + choice.GetRawText() + "]}");
            var alternatives = TokenAlignment.Alternatives(response.Tokens![0])!;
            Assert.Equal(5, alternatives.Count);
            Assert.Equal(response.Content, response.Tokens![0].Token);
        }

        Assert.Equal(40, choices.Count);
    }
}
