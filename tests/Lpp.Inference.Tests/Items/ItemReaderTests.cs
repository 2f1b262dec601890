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

    [Fact]
    public void Read_RepeatedId_IsRejectedNamingBothLines()
    {
        using var temp = new TempDir();
        var path = temp.Write("items.jsonl", "{\"id\":\"a\",\"text\":\"x\"}\n{\"id\":\"b\",\"text\":\"y\"}\n\n{\"id\":\"a\",\"text\":\"z\"}\n");

        var results = ItemReader.Read(path).ToList();

        Assert.Equal(3, results.Count);
        Assert.True(results[2].Duplicate);
        Assert.Null(results[2].Item);
        Assert.Equal(4, results[2].Line);
        Assert.Equal("duplicate id 'a' (first on line 1)", results[2].Error);
        Assert.False(results[1].Duplicate);
    }

    [Fact]
    public void Read_LineLongerThan16MiB_IsRejectedAndTheNextLineRead()
    {
        // Given a line of 16 MiB + 1 byte (the record limit, JsonLinesReader.MaxLineBytes) between two items
        using var temp = new TempDir();
        var path = temp.File("items.jsonl");
        using (var file = File.Create(path))
        {
            file.Write("{\"id\":\"a\",\"text\":\"x\"}\n"u8);
            var prefix = "{\"id\":\"big\",\"text\":\""u8;
            file.Write(prefix);
            file.Write(Enumerable.Repeat((byte)'a', (16 * 1024 * 1024) + 1 - prefix.Length - 2).ToArray());
            file.Write("\"}\n{\"id\":\"b\",\"text\":\"y\"}\n"u8);
        }

        var results = ItemReader.Read(path).ToList();

        Assert.Equal(["a", null, "b"], results.Select(r => r.Item?.Id));
        Assert.Contains("16", results[1].Error, StringComparison.Ordinal);
        Assert.Equal(2, results[1].Line);
    }
}
