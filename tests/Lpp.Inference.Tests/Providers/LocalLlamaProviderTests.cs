using System.Text;

namespace Lpp.Inference.Tests;

public sealed class LocalLlamaProviderTests
{
    private static readonly Concept Violence = ModerationDataset.Concepts[2];

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task RunAsync_TinyRandomModel_GrammarGivesAValidAnswerWithLogprobs(bool cot)
    {
        // Given the 1.7 MB random-weight llama GGUF of ../shared/models (meaningless answers, real mechanics)
        using var temp = new TempDir();
        using var provider = new LocalLlamaProvider(new LocalLlamaOptions { ModelPath = SharedData.Path("models/llama-2-tiny-random.gguf"), ContextSize = 2048, MaxStepCharacters = 40 });
        var items = new[] { new InferenceItem { Id = "a", Text = "I will hurt you", Labels = new Dictionary<string, int> { ["V"] = 1 } } };
        var runner = new InferenceRunner(provider, new InferenceOptions { Parallel = 2, Decoding = new DecodingOptions { MaxOutputTokens = 400 } }, new PromptBuilder(PromptTemplates.Default, cot));

        // When one item runs through the grammar-constrained decoder
        using (var file = new RecordFile(temp.File("out.jsonl")))
        {
            var summary = await runner.RunAsync(InferenceTask.For(items, [Violence], false), file, TestContext.Current.CancellationToken);
            Assert.Equal(0, summary.AnswerRetries);
        }

        // Then the answer follows the contract and the outcome token's alternatives come from the logits
        var record = DecisionRecordReader.Read(temp.File("out.jsonl")).Single().Record!;
        Assert.Contains(record.Output.Outcome, new[] { "0", "1", "2", "3" });
        Assert.NotNull(record.Output.Band);
        Assert.Equal(0, record.Output.VerbalizedConfidence!.Value % 5);
        var alternatives = record.Output.OutcomeTopLogprobs!;
        Assert.InRange(alternatives.Count, 20, 21);
        Assert.Contains(alternatives, a => a.Token == record.Output.Outcome);
        Assert.All(alternatives, a => Assert.True(a.Logprob < 0));
        Assert.True(alternatives.Take(20).Sum(a => Math.Exp(a.Logprob)) <= 1.0 + 1e-9);
        Assert.Equal(cot, record.Output.ReasoningTokens is { Count: > 0 });
        Assert.Equal("local", record.Source["provider"]);
        Assert.Equal("1", record.Truth);
    }

    [Fact]
    public async Task CompleteAsync_SameRequestTwice_IsDeterministic()
    {
        using var provider = new LocalLlamaProvider(new LocalLlamaOptions { ModelPath = SharedData.Path("models/llama-2-tiny-random.gguf"), ContextSize = 2048 });
        var prompt = new PromptBuilder(PromptTemplates.Default, false).Build(new InferenceItem { Id = "a", Text = "hello" }, Violence);
        var request = new ChatRequest(prompt, new DecodingOptions { MaxOutputTokens = 100 });

        var first = await provider.CompleteAsync(request, TestContext.Current.CancellationToken);
        var second = await provider.CompleteAsync(new ChatRequest(prompt, new DecodingOptions { MaxOutputTokens = 100 }), TestContext.Current.CancellationToken);

        Assert.Equal(first.Raw, second.Raw);
        Assert.Equal(request.Body(provider.Codec), new ChatRequest(prompt, new DecodingOptions { MaxOutputTokens = 100 }).Body(provider.Codec));
        var response = provider.Codec.Decode(first.Raw);
        Assert.Equal(Encoding.UTF8.GetBytes(response.Content!), response.Tokens!.SelectMany(t => t.Bytes!).ToArray());
        Assert.Equal("stop", response.FinishReason);
    }

    [Fact]
    public void Grammar_Direct_AdmitsOnlyTheContract()
    {
        var grammar = LocalLlamaProvider.Grammar(false, 300);

        Assert.StartsWith("root ::= \"{\" ws \"\\\"outcome\\\":\" ws [0-3]", grammar, StringComparison.Ordinal);
        Assert.DoesNotContain("reasoning_steps", grammar, StringComparison.Ordinal);
        Assert.Contains("char{1,300}", LocalLlamaProvider.Grammar(true, 300), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CompleteAsync_MissingModelFile_IsAPermanentError()
    {
        using var provider = new LocalLlamaProvider(new LocalLlamaOptions { ModelPath = "/nonexistent/model.gguf" });
        var request = new ChatRequest(new PromptBuilder(PromptTemplates.Default, false).Build(new InferenceItem { Id = "a", Text = "x" }, Violence), new DecodingOptions());

        var e = await Assert.ThrowsAsync<ProviderException>(() => provider.CompleteAsync(request, TestContext.Current.CancellationToken));

        Assert.Equal(ProviderErrorKind.Permanent, e.Kind);
    }
}
