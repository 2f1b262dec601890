namespace Lpp.Inference.Tests;

public sealed class RecordFileTests
{
    private static DecisionRecord Record(string id) => new() { Id = id, Schema = LabelSchema.Moderation };

    [Fact]
    public void Open_TornLastLine_IsCutAndCompleteIdsKept()
    {
        using var temp = new TempDir();
        var path = temp.File("out.jsonl");
        using (var file = new RecordFile(path))
        {
            file.Write(Record("a/H"), null, null);
            file.Write(Record("b/H"), "boom", """{"x":1}""");
        }

        File.AppendAllText(path, "{\"id\":\"c/H\",\"sour");

        using var reopened = new RecordFile(path);
        reopened.Write(Record("c/H"), null, null);
        reopened.Dispose();

        Assert.Equal(2, reopened.ExistingCount);
        Assert.True(reopened.Contains("a/H"));
        var lines = File.ReadAllLines(path);
        Assert.Equal(3, lines.Length);
        Assert.StartsWith("{\"id\":\"c/H\"", lines[2], StringComparison.Ordinal);
        Assert.EndsWith("\"error\":\"boom\",\"response\":{\"x\":1}}", lines[1], StringComparison.Ordinal);
    }

    [Fact]
    public void Write_SameIdTwice_Throws()
    {
        using var temp = new TempDir();
        using var file = new RecordFile(temp.File("out.jsonl"));
        file.Write(Record("a/H"), null, null);

        Assert.Throws<InvalidOperationException>(() => file.Write(Record("a/H"), null, null));
    }
}
