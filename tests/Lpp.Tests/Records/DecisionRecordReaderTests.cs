using System.IO.Compression;
using System.Text;
using CsCheck;

namespace Lpp.Tests;

public sealed class DecisionRecordReaderTests
{
    private const string Good = """{"id": "ID", "labels": ["0", "1"], "output": {"outcome": "1"}, "truth": "1"}""";

    private static string Line(string id) => Good.Replace("ID", id, StringComparison.Ordinal);

    [Fact]
    public void Read_MixedFile_EveryLineIsARecordOrARejection()
    {
        // Given a file with good lines, bad lines, a duplicate id and blank lines
        using var dir = new TempDir();
        var path = dir.Write("mixed.jsonl", string.Join('\n', Line("a"), "not json", "", Line("b"), Line("a"), "   ", Line("c")) + "\n");

        // When it is read
        var results = DecisionRecordReader.Read(path).ToList();

        // Then the 5 non-blank lines are 3 records and 2 rejections with 1-based line numbers
        Assert.Equal(["a", "b", "c"], results.Where(r => r.Record is not null).Select(r => r.Record!.Id));
        var rejected = results.Where(r => r.Rejection is not null).Select(r => r.Rejection!).ToList();
        Assert.Equal([2L, 5L], rejected.Select(r => r.Line));
        Assert.StartsWith("invalid JSON", rejected[0].Reason, StringComparison.Ordinal);
        Assert.Equal("duplicate id 'a' (seen earlier in this file)", rejected[1].Reason);
        Assert.Equal(path, rejected[1].File);
    }

    [Fact]
    public void Read_CrlfAndByteOrderMark_AreAccepted()
    {
        // Given a Windows-style file: a UTF-8 byte-order mark and CRLF endings
        using var dir = new TempDir();
        var path = dir.File("windows.jsonl");
        File.WriteAllBytes(path, [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes(Line("a") + "\r\n" + Line("b") + "\r\n")]);

        // When it is read
        var ids = DecisionRecordReader.ReadValid(path).Select(r => r.Id).ToList();

        // Then both records are read
        Assert.Equal(["a", "b"], ids);
    }

    [Fact]
    public void Read_ByteOrderMarkInsideTheFile_IsRejected()
    {
        using var dir = new TempDir();
        var path = dir.File("bom.jsonl");
        File.WriteAllBytes(path, [.. Encoding.UTF8.GetBytes(Line("a") + "\n"), 0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes(Line("b") + "\n")]);

        var results = DecisionRecordReader.Read(path).ToList();

        Assert.Equal("byte-order mark in the middle of the file", results[1].Rejection!.Reason);
    }

    [Fact]
    public void Read_Gzip_ReadsTheSameRecords()
    {
        // Given a gzip-compressed file (detected by content, whatever its name)
        using var dir = new TempDir();
        var path = dir.File("records.data");
        WriteGzip(path, Enumerable.Range(0, 1000).Select(i => Line($"r{i}")));

        // When it is read
        var results = DecisionRecordReader.Read(path).ToList();

        // Then all records arrive and nothing is reported
        Assert.Equal(1000, results.Count(r => r.Record is not null));
        Assert.DoesNotContain(results, r => r.Rejection is not null);
    }

    [Fact]
    public void Read_TruncatedGzip_ReportsTheTruncationAndKeepsTheRecordsBefore()
    {
        // Given a gzip file cut in the middle (a broken download)
        using var dir = new TempDir();
        var whole = dir.File("whole.jsonl.gz");
        WriteGzip(whole, Enumerable.Range(0, 20_000).Select(i => Line($"r{i}")));
        var bytes = File.ReadAllBytes(whole);
        var cut = dir.File("cut.jsonl.gz");
        File.WriteAllBytes(cut, bytes[..(bytes.Length / 2)]);

        // When it is read
        var results = DecisionRecordReader.Read(cut).ToList();

        // Then the records before the cut are read and the last line reports the truncation
        Assert.InRange(results.Count(r => r.Record is not null), 1000, 19_999);
        var last = results[^1].Rejection;
        Assert.NotNull(last);
        Assert.Contains("gzip stream ends early", last.Reason, StringComparison.Ordinal);
        Assert.Single(results, r => r.Rejection is not null);
    }

    [Fact]
    public void Read_LineOver16MiB_IsRejectedAndTheNextLineRead()
    {
        // Given a line longer than the limit between two good lines
        using var dir = new TempDir();
        var path = dir.File("long.jsonl");
        using (var writer = new StreamWriter(path))
        {
            writer.Write(Line("a") + "\n");
            writer.Write("{\"id\": \"big\", \"labels\": [\"0\"], \"pad\": \"");
            writer.Write(new string('x', JsonLinesReader.MaxLineBytes + 10));
            writer.Write("\"}\n");
            writer.Write(Line("b") + "\n");
        }

        // When it is read
        var results = DecisionRecordReader.Read(path).ToList();

        // Then the long line is rejected with its size and a 200-character preview
        Assert.Equal(3, results.Count);
        var rejection = results[1].Rejection!;
        Assert.Equal(2, rejection.Line);
        Assert.Contains("over the 16 MiB limit", rejection.Reason, StringComparison.Ordinal);
        Assert.Equal(RecordRejection.MaxTextLength, rejection.Text.Length);
        Assert.Equal("b", results[2].Record!.Id);
    }

    [Fact]
    public void Read_EmptyFile_YieldsNothing()
    {
        using var dir = new TempDir();
        var path = dir.Write("empty.jsonl", string.Empty);

        Assert.Empty(DecisionRecordReader.Read(path));
    }

    [Fact]
    public void Read_RealDatasets_AreAllValid()
    {
        // Given the 12 real datasets of ../shared (3,270 + 1,000 + 206 + 230 records per model)
        var files = SharedData.LlmConfidenceFiles();

        // When they are read
        var counts = files.Select(f => DecisionRecordReader.ReadValid(f).Count()).ToList();

        // Then every record is valid and the sizes match ../shared/DATA.md
        Assert.Equal(12, files.Count);
        Assert.Equal(3 * (3270 + 1000 + 206 + 230), counts.Sum());
    }

    [Fact]
    public void Read_MutatedLines_NeverThrowAndLoseNothing()
    {
        // Given files of real records mutated at random (byte changes, cuts, insertions, truncations)
        var seeds = File.ReadLines(SharedData.Path("data/llm-confidence/gpt-4o/sat.jsonl")).Take(20).Select(Encoding.UTF8.GetBytes).ToArray();
        var mutation = Gen.Select(Gen.Int[0, seeds.Length - 1], Gen.Int[0, 3], Gen.Int[0, 10_000], Gen.Byte, Gen.Int[1, 5]);
        using var dir = new TempDir();
        mutation.Array[200].Sample(mutations =>
        {
            var lines = mutations.Select(m => Mutate(seeds[m.Item1], m.Item2, m.Item3, m.Item4, m.Item5)).ToList();
            var path = dir.File(Guid.NewGuid().ToString("N") + ".jsonl");
            File.WriteAllBytes(path, [.. lines.SelectMany(l => l.Append((byte)'\n'))]);

            // When the file is read
            var results = DecisionRecordReader.Read(path).ToList();

            // Then nothing throws and every non-blank line is exactly one record or one rejection
            var nonBlank = lines.Count(l => !l.All(b => b is (byte)' ' or (byte)'\t' or (byte)'\r'));
            Assert.Equal(nonBlank, results.Count);
            Assert.All(results, r => Assert.True((r.Record is null) != (r.Rejection is null)));
            Assert.All(results.Where(r => r.Rejection is not null), r => Assert.False(string.IsNullOrWhiteSpace(r.Rejection!.Reason)));
        }, iter: 20);
    }

    private static byte[] Mutate(byte[] line, int kind, int position, byte value, int count)
    {
        var bytes = line.ToList();
        var at = position % bytes.Count;
        value = value == (byte)'\n' ? (byte)'}' : value;
        switch (kind)
        {
            case 0:
                bytes[at] = value;
                break;
            case 1:
                bytes.RemoveRange(at, Math.Min(count, bytes.Count - at));
                break;
            case 2:
                bytes.InsertRange(at, Enumerable.Repeat(value, count));
                break;
            default:
                bytes = bytes[..at];
                break;
        }

        return [.. bytes];
    }

    private static void WriteGzip(string path, IEnumerable<string> lines)
    {
        using var file = File.Create(path);
        using var gzip = new GZipStream(file, CompressionLevel.Fastest);
        using var writer = new StreamWriter(gzip);
        foreach (var line in lines)
        {
            writer.Write(line + "\n");
        }
    }
}
