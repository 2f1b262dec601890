namespace Lpp.Inference.Tests;

public sealed class ModerationDatasetTests
{
    [Fact]
    public void Read_SharedSamples_GivesEveryTextWithItsKnownCategories()
    {
        // ../shared/data/openai-moderation/samples-1680.jsonl.gz: 1,680 texts, a missing key meaning unknown
        var results = ModerationDataset.Read(SharedData.Path("data/openai-moderation/samples-1680.jsonl.gz")).ToList();

        Assert.Equal(1680, results.Count);
        Assert.All(results, r => Assert.Null(r.Error));
        var first = results[0].Item!;
        Assert.Equal("moderation-1", first.Id);
        Assert.Equal(1, first.Labels["SH"]);
        Assert.Equal(0, first.Labels["S"]);
        var tasks = InferenceTask.For(results.Select(r => r.Item!), ModerationDataset.Concepts, knownOnly: true).Count();
        Assert.Equal(results.Sum(r => r.Item!.Labels.Count), tasks);
        Assert.True(tasks > 1680, $"{tasks} pairs");
    }

    [Fact]
    public void Parse_MissingKey_IsUnknown()
    {
        var result = ModerationDataset.Parse(7, """{"prompt":"p","S":1,"H":0}""");

        Assert.Equal(new Dictionary<string, int> { ["S"] = 1, ["H"] = 0 }, result.Item!.Labels);
        Assert.Equal("moderation-7", result.Item.Id);
    }

    [Fact]
    public void Concepts_AreTheEightCategories() =>
        Assert.Equal(["S", "H", "V", "HR", "SH", "S3", "H2", "V2"], ModerationDataset.Concepts.Select(c => c.Key));
}
