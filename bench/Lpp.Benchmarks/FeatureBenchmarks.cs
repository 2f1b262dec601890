using System.Text.Json;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;

namespace Lpp.Benchmarks;

/// <summary>
/// Parse + LPP features per record against a bare <see cref="Utf8JsonReader"/> pass over the same bytes (the cost
/// of reading the JSON at all). Each invocation processes every line of the input once; BenchmarkDotNet reports
/// the time per record (OperationsPerInvoke), so records/s = 1 / Mean, and Ratio is features vs bare reading.
/// Run: dotnet run -c Release --project bench/Lpp.Benchmarks -- --filter '*FeatureBenchmarks*'
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class FeatureBenchmarks
{
    private const int HeavyRecords = 500;
    private byte[][] _boolq = [];
    private byte[][] _heavy = [];
    private readonly double[] _features = new double[FeatureSchema.Count];
    private readonly LppFeatureExtractor _extractor = new();

    [GlobalSetup]
    public void Setup()
    {
        _boolq = BenchData.Lines(BenchData.Shared("data/llm-confidence/gpt-4o/boolq.jsonl"));
        _heavy = BenchData.Heavy(HeavyRecords, reasoning: 200, seed: 42);
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = 3270)]
    [BenchmarkCategory("a: gpt-4o boolq (3,270 real records)")]
    public long BareReader_Boolq() => BareRead(_boolq);

    [Benchmark(OperationsPerInvoke = 3270)]
    [BenchmarkCategory("a: gpt-4o boolq (3,270 real records)")]
    public double ParseAndFeatures_Boolq() => ParseAndExtract(_boolq);

    [Benchmark(OperationsPerInvoke = 3270)]
    [BenchmarkCategory("a: gpt-4o boolq (3,270 real records)")]
    public int ParseOnly_Boolq()
    {
        var parser = new DecisionRecordParser();
        var n = 0;
        foreach (var line in _boolq)
        {
            n += parser.Parse(line).Id.Length;
        }

        return n;
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = HeavyRecords)]
    [BenchmarkCategory("b: generated, 20 alternatives + 200 reasoning tokens")]
    public long BareReader_Heavy() => BareRead(_heavy);

    [Benchmark(OperationsPerInvoke = HeavyRecords)]
    [BenchmarkCategory("b: generated, 20 alternatives + 200 reasoning tokens")]
    public double ParseAndFeatures_Heavy() => ParseAndExtract(_heavy);

    private static long BareRead(byte[][] lines)
    {
        long tokens = 0;
        foreach (var line in lines)
        {
            var reader = new Utf8JsonReader(line);
            while (reader.Read())
            {
                tokens++;
            }
        }

        return tokens;
    }

    private double ParseAndExtract(byte[][] lines)
    {
        var parser = new DecisionRecordParser();
        var sum = 0.0;
        foreach (var line in lines)
        {
            var record = parser.Parse(line);
            _extractor.Extract(record, _features);
            sum += _features[4];
        }

        return sum;
    }
}
