namespace Lpp.Inference.Tests;

public sealed class ItemReaderTests
{
    [Fact]
    public void Read_Items_ParsesFieldsAndRejectsBadLines()
    {
        using var temp = new TempDir();
        var path = temp.Write("items.jsonl", string.Join('\n',
            """{"id":"v1","text":"t","transcript":"tr","thumbnail":"a.jpg","frames":["f1.jpg","f2.jpg"],"video_uri":"gs://b/v.mp4","language":"de","labels":{"H":1,"V":0,"S":null},"extra":42}""",
            "",
            """{"id":"","text":"x"}""",
            """{"id":"x","labels":{"H":2},"text":"y"}""",
            """{"id":"y"}""",
            "not json"));

        var results = ItemReader.Read(path).ToList();

        var item = results[0].Item!;
        Assert.Equal("v1", item.Id);
        Assert.Equal(["f1.jpg", "f2.jpg"], item.Frames);
        Assert.Equal("gs://b/v.mp4", item.VideoUri);
        Assert.Equal(new Dictionary<string, int> { ["H"] = 1, ["V"] = 0 }, item.Labels);
        Assert.True(item.IsMultimodal);
        Assert.Equal([(3L, "missing or empty id"), (4L, "label 'H' is not 0 or 1"), (5L, "no content (text, transcript, thumbnail, frames or video_uri)")],
            results.Skip(1).Take(3).Select(r => (r.Line, r.Error!)));
        Assert.StartsWith("invalid JSON", results[4].Error, StringComparison.Ordinal);
    }
}
