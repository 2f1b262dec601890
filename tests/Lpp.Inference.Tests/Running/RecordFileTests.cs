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
            file.Write(Record("b/H"), new RecordError(RecordErrorKind.Refused, "boom"), """{"x":1}""");
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
        Assert.EndsWith("\"error\":\"boom\",\"error_kind\":\"refused\",\"response\":{\"x\":1}}", lines[1], StringComparison.Ordinal);
    }

    [Fact]
    public void Open_TransportFailures_AreTakenOutToRunAgainOthersKept()
    {
        // Given records: answered, transport failure, refused, invalid answer, a legacy error without a kind, and a torn line
        using var temp = new TempDir();
        var path = temp.File("out.jsonl");
        using (var file = new RecordFile(path))
        {
            file.Write(Record("a/H"), null, null);
            file.Write(Record("b/H"), new RecordError(RecordErrorKind.Transport, "cannot reach x: name not resolved"), null);
            file.Write(Record("c/H"), new RecordError(RecordErrorKind.Refused, "HTTP 400: bad"), null);
            file.Write(Record("d/H"), new RecordError(RecordErrorKind.Invalid, "invalid answer after 3 retries: x"), null);
        }

        File.AppendAllText(path, "{\"id\":\"e/H\",\"labels\":[\"0\",\"1\"],\"error\":\"old failure\"}\n{\"id\":\"f/H\",\"sour");
        var before = File.ReadAllLines(path);

        // When the file is opened for a rerun
        using (var reopened = new RecordFile(path))
        {
            // Then only the transport failure is to run again; the file keeps the other lines, in order, byte for byte
            Assert.Equal(1, reopened.RetryCount);
            Assert.Equal(4, reopened.ExistingCount);
            Assert.False(reopened.Contains("b/H"));
            reopened.Write(Record("b/H"), null, null);
        }

        var after = File.ReadAllLines(path);
        Assert.Equal([before[0], before[2], before[3], before[4]], after[..4]);
        Assert.StartsWith("{\"id\":\"b/H\"", after[4], StringComparison.Ordinal);
        Assert.Equal(5, after.Length);
        Assert.False(File.Exists(path + ".rewrite.tmp"));
    }

    [Fact]
    public void Open_RetryFailed_TakesOutEveryRecordWithAnError()
    {
        using var temp = new TempDir();
        var path = temp.File("out.jsonl");
        using (var file = new RecordFile(path))
        {
            file.Write(Record("a/H"), null, null);
            file.Write(Record("b/H"), new RecordError(RecordErrorKind.Refused, "HTTP 400: bad"), null);
            file.Write(Record("c/H"), new RecordError(RecordErrorKind.Invalid, "invalid answer after 3 retries: x"), null);
            file.Write(Record("d/H"), new RecordError(RecordErrorKind.Media, "media file x: outside the media root"), null);
        }

        using var reopened = new RecordFile(path, retryFailed: true);

        Assert.Equal(3, reopened.RetryCount);
        Assert.Equal(1, reopened.ExistingCount);
        Assert.True(reopened.Contains("a/H"));
        Assert.Single(File.ReadAllLines(path));
    }

    [Fact]
    public void Write_PrettyPrintedResponse_StaysOnOneLine()
    {
        using var temp = new TempDir();
        var path = temp.File("out.jsonl");
        using (var file = new RecordFile(path))
        {
            file.Write(Record("a/H"), null, "{\n  \"id\": \"chatcmpl-1\",\r\n  \"choices\": []\n}");
        }

        var line = Assert.Single(File.ReadAllLines(path));
        Assert.EndsWith("\"response\":{\"id\":\"chatcmpl-1\",\"choices\":[]}}", line, StringComparison.Ordinal);
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
