using System.Buffers;
using System.Text.Json;
using BenchmarkDotNet.Attributes;

namespace Lpp.Benchmarks;

/// <summary>
/// What <c>lpp route</c> does per record, on one thread: parse the line, compute the features, score and route it,
/// write the decision as JSON. Time per record (OperationsPerInvoke); records/s = 1 / Mean. The model is trained
/// in the setup with the paper recipe on the same file. <see cref="ParseRouteWritePerFeature"/> routes with the same
/// model without its contribution groups (as a model file from before them), so the ratio of the two is what
/// reporting contributions per group of collinear features costs.
/// Run: dotnet run -c Release --project bench/Lpp.Benchmarks -- --filter '*RouteBenchmarks*'
/// </summary>
[MemoryDiagnoser]
public class RouteBenchmarks
{
    private byte[][] _lines = [];
    private Router _router = null!;
    private Router _perFeature = null!;
    private readonly ArrayBufferWriter<byte> _buffer = new(1 << 20);

    [GlobalSetup]
    public void Setup()
    {
        var path = BenchData.Shared("data/llm-confidence/gpt-4o/boolq.jsonl");
        _lines = BenchData.Lines(path);
        var records = DecisionRecordReader.ReadValid(path).ToList();
        var options = new EscalationTrainerOptions { Recipe = Recipe.Paper };
        var model = new EscalationTrainer(options).Fit(TrainingSet.From(records, new LppFeatureExtractor()));
        _router = new Router(model);
        _perFeature = new Router(model.WithContributionGroups(null));
    }

    [Benchmark(OperationsPerInvoke = 3270)]
    public int ParseRouteWrite() => Run(_router);

    [Benchmark(OperationsPerInvoke = 3270, Baseline = true)]
    public int ParseRouteWritePerFeature() => Run(_perFeature);

    private int Run(Router router)
    {
        var parser = new DecisionRecordParser();
        _buffer.ResetWrittenCount();
        using var writer = new Utf8JsonWriter(_buffer, RoutingDecisionJson.WriterOptions);
        foreach (var line in _lines)
        {
            RoutingDecisionJson.Write(writer, router.Route(parser.Parse(line)));
            writer.Flush();
            writer.Reset();
            _buffer.Write("\n"u8);
            if (_buffer.WrittenCount > 1 << 19)
            {
                _buffer.ResetWrittenCount();
            }
        }

        return _buffer.WrittenCount;
    }
}
