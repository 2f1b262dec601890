using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Lpp.Simulation.Tests;

public sealed class SimulationWriterTests
{
    [Theory]
    [InlineData(SimulationFormat.Records, false)]
    [InlineData(SimulationFormat.Records, true)]
    [InlineData(SimulationFormat.OpenAi, false)]
    [InlineData(SimulationFormat.OpenAi, true)]
    [InlineData(SimulationFormat.Gemini, false)]
    [InlineData(SimulationFormat.Gemini, true)]
    public void WriteLines_SimulatedItems_SameBytesAsTheUtf8JsonWriterReference(SimulationFormat format, bool cot)
    {
        // Given 600 simulated items (with --cot several megabytes, so buffers are handed over in the background)
        var items = new ModerationSimulator(new SimulationOptions { Seed = 5, ChainOfThought = cot }).Generate(600).ToList();

        // When they are written by the fast line writer and, one by one, by the Utf8JsonWriter reference
        var fast = WriteLines(items, format);
        var reference = Reference(items.Select(i => i.Record), format);

        // Then the bytes are the same
        Assert.Equal(reference.Length, fast.Length);
        Assert.True(reference.AsSpan().SequenceEqual(fast), "the fast writer and the reference differ");
    }

    [Fact]
    public void WriteLines_RecordWithEscapesZerosAndNonFiniteLogprobs_SameBytesAsTheReference()
    {
        // Given a hand-made record: escapes, non-ASCII and a surrogate pair, +0 and -0, NaN and -infinity, nulls
        var record = new DecisionRecord
        {
            Id = "odd \"id\"\\\n\t\u0001 é ▁ 😀",
            Source = new SourceAttributes([new("concept", "H\"2"), new("language", "日本語")]),
            Schema = LabelSchema.Moderation,
            Output = new LlmOutput
            {
                Outcome = "1",
                RawAnswer = "{\"outcome\":1}\r\n\u007f\u2028",
                VerbalizedConfidence = null,
                Band = null,
                OutcomeTopLogprobs = [new("1", 0.0), new("0", -0.0), new("\"", double.NaN), new("😀", double.NegativeInfinity), new("Ġ1", -1e-300)],
                ReasoningTokens = [new ReasoningToken("x", -1.5e-7, null), new ReasoningToken(" y", -123456.789, [new(" y", -123456.789)])],
            },
            Truth = null,
        };
        var simulated = new ModerationSimulator(new SimulationOptions { ChainOfThought = true }).Generate(3).Select(i => i.Record);
        DecisionRecord[] records = [record, .. simulated, record];

        // When written by both writers
        var fast = WriteLines(records.Select(r => new SimulatedItem(r, SimulatedCase.Clear, 0)), SimulationFormat.Records);
        var reference = Reference(records, SimulationFormat.Records);

        // Then the bytes are the same
        Assert.Equal(System.Text.Encoding.UTF8.GetString(reference), System.Text.Encoding.UTF8.GetString(fast));
    }

    [Fact]
    public void WriteLines_ProviderFormatForARecordTheSimulatorDidNotMake_Throws()
    {
        // Given a record without alternatives
        var record = new DecisionRecord { Id = "r1", Schema = LabelSchema.Moderation, Output = new LlmOutput { Outcome = "1" } };

        // When it is written as an OpenAI body, then the writer refuses it and names the record
        var error = Assert.Throws<ArgumentException>(() => WriteLines([new SimulatedItem(record, SimulatedCase.Clear, 0)], SimulationFormat.OpenAi));
        Assert.Contains("'r1'", error.Message, StringComparison.Ordinal);
    }

    private static byte[] WriteLines(IEnumerable<SimulatedItem> items, SimulationFormat format)
    {
        using var stream = new MemoryStream();
        SimulationWriter.WriteLines(items, stream, format, TestContext.Current.CancellationToken);
        return stream.ToArray();
    }

    private static byte[] Reference(IEnumerable<DecisionRecord> records, SimulationFormat format)
    {
        var buffer = new ArrayBufferWriter<byte>();
        var options = new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = true };
        foreach (var record in records)
        {
            using (var writer = new Utf8JsonWriter(buffer, options))
            {
                SimulationWriter.Write(writer, record, format);
            }

            buffer.Write("\n"u8);
        }

        return buffer.WrittenSpan.ToArray();
    }
}
