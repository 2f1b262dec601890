namespace Lpp.Inference.Tests;

public sealed class PromptTemplatesTests
{
    private static readonly Concept Hate = ModerationDataset.Concepts[1];

    [Theory]
    [InlineData(false, false, PromptVariant.TextDirect)]
    [InlineData(false, true, PromptVariant.TextCot)]
    [InlineData(true, false, PromptVariant.MultimodalDirect)]
    [InlineData(true, true, PromptVariant.MultimodalCot)]
    public void VariantFor_PicksOneOfTheFour(bool multimodal, bool cot, PromptVariant expected)
    {
        var item = new InferenceItem { Id = "a", Text = "t", Thumbnail = multimodal ? "data:image/png;base64,AA" : null };

        Assert.Equal(expected, new PromptBuilder(PromptTemplates.Default, cot).VariantFor(item));
    }

    [Fact]
    public void Build_FillsDefinitionContractAndModalities()
    {
        var item = new InferenceItem { Id = "a", Text = "caption {content}", Transcript = "spoken", Frames = ["data:image/png;base64,AA"], Language = "fr" };

        var prompt = new PromptBuilder(PromptTemplates.Default, true).Build(item, Hate);

        Assert.Contains(Hate.Definition, prompt.System, StringComparison.Ordinal);
        Assert.Contains("exactly three objects", prompt.System, StringComparison.Ordinal);
        Assert.Contains("You received: text, transcript, 1 video frame.", prompt.System, StringComparison.Ordinal);
        Assert.Contains("Review each modality", prompt.System, StringComparison.Ordinal);
        var text = Assert.IsType<TextPart>(prompt.User[0]).Text;
        Assert.Contains("caption {content}\n\nTranscript:\nspoken", text, StringComparison.Ordinal);
        Assert.Contains("language: fr", text, StringComparison.Ordinal);
        Assert.IsType<ImagePart>(prompt.User[1]);
        Assert.True(prompt.ChainOfThought);
    }

    [Fact]
    public void Build_Direct_AsksForNoReasoning()
    {
        var prompt = new PromptBuilder(PromptTemplates.Default, false).Build(new InferenceItem { Id = "a", Text = "t" }, Hate);

        Assert.DoesNotContain("reasoning_steps", prompt.System, StringComparison.Ordinal);
        Assert.Contains("\"outcome\": an integer", prompt.System, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_FolderWithOneFile_ReplacesOnlyThatTemplate()
    {
        using var temp = new TempDir();
        temp.Write("text-direct.txt", "Policy {concept_name}: {definition}\n--- user ---\nClassify: {content}\n");

        var templates = PromptTemplates.Load(temp.Path);
        var prompt = new PromptBuilder(templates, false).Build(new InferenceItem { Id = "a", Text = "hello" }, Hate);

        Assert.Equal("Policy hate: " + Hate.Definition, prompt.System);
        Assert.Equal("Classify: hello", Assert.IsType<TextPart>(prompt.User[0]).Text);
        Assert.Same(PromptTemplates.Default[PromptVariant.TextCot], templates[PromptVariant.TextCot]);
    }

    [Theory]
    [InlineData("no separator", "no '--- user ---' line between the system and the user text")]
    [InlineData("s\n--- user ---\nno content", "the user text has no {content} placeholder")]
    [InlineData("s {policy}\n--- user ---\n{content}", "unknown placeholder {policy} (known: {concept_key}, {concept_name}, {definition}, {language}, {modalities}, {content})")]
    public void Parse_Malformed_SaysWhy(string text, string message) =>
        Assert.Equal(message, Assert.Throws<FormatException>(() => PromptTemplate.Parse(text)).Message);

    [Fact]
    public void WithCorrection_AppendsTheAnswerAndTheReason()
    {
        var prompt = new PromptBuilder(PromptTemplates.Default, false).Build(new InferenceItem { Id = "a", Text = "t" }, Hate);

        var corrected = prompt.WithCorrection("{\"outcome\":9}", "outcome 9 is not 0, 1, 2 or 3");

        Assert.Equal([ChatRole.Assistant, ChatRole.User], corrected.FollowUps.Select(t => t.Role));
        Assert.Equal("Your answer was invalid: outcome 9 is not 0, 1, 2 or 3. Answer again with only the JSON object that follows the output contract.", corrected.FollowUps[1].Text);
    }
}
