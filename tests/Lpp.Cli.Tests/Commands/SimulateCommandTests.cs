using System.IO.Compression;
using System.Text.Json;
using Lpp.Inference;

namespace Lpp.Cli.Tests;

public sealed class SimulateCommandTests
{
    [Fact]
    public void Simulate_Records_WritesNValidRecordsLabelledSimulated()
    {
        // Given an output path
        using var dir = new TempDir();
        var output = dir.File("sim.jsonl");

        // When 500 items are simulated twice with the same seed
        var run = LppProcess.Run("simulate", "--n", "500", "--output", output, "--seed", "7");
        var first = File.ReadAllBytes(output);
        var again = LppProcess.Run("simulate", "--n", "500", "--output", output, "--seed", "7");

        // Then the file holds 500 valid records naming the simulated model, identical on the rerun, and the summary says so
        Assert.Equal(0, run.ExitCode);
        Assert.Equal(0, again.ExitCode);
        Assert.Equal(first, File.ReadAllBytes(output));
        var results = DecisionRecordReader.Read(output).ToList();
        Assert.Equal(500, results.Count);
        Assert.All(results, r => Assert.Null(r.Rejection));
        Assert.All(results, r => Assert.Equal("simulated-llm", r.Record!.Source["model"]));
        Assert.StartsWith("simulate: wrote 500 simulated items (records, model simulated-llm, seed 7) to " + output, run.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public void Simulate_GzName_WritesGzipHoldingTheSameRecords()
    {
        // Given a plain and a .gz output with the same seed
        using var dir = new TempDir();
        var plain = dir.File("sim.jsonl");
        var gz = dir.File("sim.jsonl.gz");

        // When both are written
        Assert.Equal(0, LppProcess.Run("simulate", "--n", "200", "--output", plain).ExitCode);
        Assert.Equal(0, LppProcess.Run("simulate", "--n", "200", "--output", gz).ExitCode);

        // Then the .gz file is gzip and decompresses to the plain file
        var bytes = File.ReadAllBytes(gz);
        Assert.Equal([0x1f, 0x8b], bytes[..2]);
        using var inflated = new MemoryStream();
        using (var gzip = new GZipStream(new MemoryStream(bytes), CompressionMode.Decompress))
        {
            gzip.CopyTo(inflated);
        }

        Assert.Equal(File.ReadAllBytes(plain), inflated.ToArray());
    }

    [Theory]
    [InlineData("openai", false)]
    [InlineData("openai", true)]
    [InlineData("gemini", false)]
    [InlineData("gemini", true)]
    public void Simulate_ProviderBodies_ParseWithTheInferenceParserIntoTheSameRecords(string format, bool cot)
    {
        // Given the same items written as records and as provider bodies
        using var dir = new TempDir();
        var records = dir.File("records.jsonl");
        var bodies = dir.File("bodies.jsonl");
        string[] flag = cot ? ["--cot"] : [];
        Assert.Equal(0, LppProcess.Run(["simulate", "--n", "300", "--seed", "11", "--output", records, .. flag]).ExitCode);
        Assert.Equal(0, LppProcess.Run(["simulate", "--n", "300", "--seed", "11", "--output", bodies, "--format", format, .. flag]).ExitCode);
        using var http = new HttpClient();
        var provider = ChatProviders.Create(format, "simulated-llm", null, null, http);

        // When each body is parsed, validated and aligned the way lpp infer does it, and rebuilt with lpp_simulation
        var expected = DecisionRecordReader.ReadValid(records).ToList();
        var rebuilt = File.ReadLines(bodies).Select(line => Rebuild(provider, line, cot)).ToList();

        // Then every rebuilt record equals the simulated record: outcome, alternatives, confidence, band, reasoning, source, truth
        Assert.Equal(300, rebuilt.Count);
        Assert.Equal(expected.Select(DecisionRecordJson.ToJson), rebuilt.Select(DecisionRecordJson.ToJson));
    }

    [Theory]
    [InlineData("--n", "0", "--n 0: must be a whole number of at least 1")]
    [InlineData("--n", "lots", "--n lots: must be a whole number of at least 1")]
    [InlineData("--format", "xml", "--format xml: must be records, openai or gemini")]
    public void Simulate_BadArgument_OneLineErrorExit2(string option, string value, string message)
    {
        // Given one bad argument
        using var dir = new TempDir();
        var output = dir.File("sim.jsonl");
        string[] args = option == "--n" ? ["simulate", "--n", value, "--output", output] : ["simulate", "--n", "10", "--output", output, option, value];

        // When lpp simulate runs
        var run = LppProcess.Run(args);

        // Then it fails as a user error naming the option, and writes nothing
        LppProcess.AssertUserError(run, message);
        Assert.False(File.Exists(output));
    }

    [Fact]
    public void Simulate_UnwritableOutput_OneLineErrorExit2()
    {
        // Given an output inside a path that is a file, not a folder
        using var dir = new TempDir();
        var blocker = dir.Write("file", "x");

        // When lpp simulate runs
        var run = LppProcess.Run("simulate", "--n", "10", "--output", Path.Combine(blocker, "sim.jsonl"));

        // Then it fails as a user error naming --output
        LppProcess.AssertUserError(run, "--output " + Path.Combine(blocker, "sim.jsonl") + ": cannot write");
    }

    [Fact]
    public void Simulate_Help_ChangeDetector_MatchesTheCheckedInText()
    {
        // When help is asked for
        var run = LppProcess.Run("simulate", "--help");

        // Then it is the checked-in text
        Assert.Equal(0, run.ExitCode);
        var expected = File.ReadAllText(Path.Combine(SharedData.RepositoryRoot, "tests", "Lpp.Cli.Tests", "Expected", "simulate-help.txt"));
        Assert.Equal(expected.ReplaceLineEndings("\n").TrimEnd(), run.StdOut.ReplaceLineEndings("\n").TrimEnd());
    }

    /// <summary>The record lpp infer would build from this body, with id, truth and source from <c>lpp_simulation</c>.</summary>
    private static DecisionRecord Rebuild(IChatProvider provider, string line, bool cot)
    {
        var response = provider.Codec.Decode(line);
        var answer = AnswerValidator.Validate(response.Content, cot);
        Assert.True(answer.IsValid, answer.Error);
        var signals = TokenAlignment.Extract(response.Tokens, response.Content!, answer, cot);
        Assert.Null(signals.Problem);
        using var doc = JsonDocument.Parse(line);
        var simulation = doc.RootElement.GetProperty("lpp_simulation");
        Assert.True(simulation.GetProperty("simulated").GetBoolean());
        return new DecisionRecord
        {
            Id = simulation.GetProperty("id").GetString()!,
            Source = simulation.GetProperty("source").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!),
            Schema = LabelSchema.Moderation,
            Output = new LlmOutput
            {
                Outcome = answer.Outcome!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture),
                RawAnswer = response.Content,
                VerbalizedConfidence = answer.PCorrect,
                Band = answer.Band,
                OutcomeTopLogprobs = signals.OutcomeTopLogprobs,
                ReasoningTokens = signals.ReasoningTokens,
            },
            Truth = simulation.GetProperty("truth").GetString(),
        };
    }
}
