using BenchmarkDotNet.Attributes;

namespace Lpp.Benchmarks;

/// <summary>
/// What <c>lpp serve --shadow-model</c> adds to the routing hot path per record, on one thread, against what the
/// serving model's own scoring costs: the records are parsed and their features extracted once in the setup, then
/// <see cref="Serving"/> routes each with the serving model (score, threshold, contributions, the decision), and the
/// shadow benchmarks do what the service does per record for the shadow: its shape check and its score and reason,
/// from the serving model's features (<see cref="Shadow"/>: the same top-k) or from its own (<see cref="ShadowOwnFeatures"/>:
/// top-k 10, extracted again). The goal is that the shadow costs at most what the serving model's scoring does. Models:
/// the default recipe on the same file, at c_review 0.64 (serving) and 0.3 (shadow). Time per record (OperationsPerInvoke).
/// Run: dotnet run -c Release --project bench/Lpp.Benchmarks -- --filter '*ShadowBenchmarks*'
/// </summary>
[MemoryDiagnoser]
public class ShadowBenchmarks
{
    private DecisionRecord[] _records = [];
    private double[][] _features = [];
    private Router _serving = null!;
    private Router _shadow = null!;
    private Router _shadowTop10 = null!;
    private readonly double[] _scratch = new double[FeatureSchema.Count];

    [GlobalSetup]
    public void Setup()
    {
        var path = BenchData.Shared("data/llm-confidence/gpt-4o/boolq.jsonl");
        _records = [.. DecisionRecordReader.ReadValid(path)];
        var data = TrainingSet.From(_records, new LppFeatureExtractor());
        var serving = new EscalationTrainer().Fit(data);
        _serving = new Router(serving.WithTrainingShape(TrainingShape.Of(_records, serving.FeatureNames)));
        var shadow = new EscalationTrainer(new EscalationTrainerOptions { Cost = new CostModel(CostForm.Paper, 1, 0.3) }).Fit(data);
        _shadow = new Router(shadow.WithTrainingShape(TrainingShape.Of(_records, shadow.FeatureNames)));
        var top10 = new LppFeatureExtractor(new LppFeatureOptions { TopK = 10 });
        var shadowTop10 = new EscalationTrainer().Fit(TrainingSet.From(_records, top10));
        _shadowTop10 = new Router(shadowTop10.WithTrainingShape(TrainingShape.Of(_records, shadowTop10.FeatureNames)));
        var extractor = serving.CreateExtractor();
        _features = [.. _records.Select(r =>
        {
            var f = new double[FeatureSchema.Count];
            extractor.Extract(r, f);
            return f;
        })];
    }

    [Benchmark(OperationsPerInvoke = 3268, Baseline = true)]
    public double Serving()
    {
        var sum = 0.0;
        for (var i = 0; i < _records.Length; i++)
        {
            sum += _serving.Route(_records[i], _features[i]).Score;
        }

        return sum;
    }

    [Benchmark(OperationsPerInvoke = 3268)]
    public double Shadow() => Decide(_shadow, ownFeatures: false);

    [Benchmark(OperationsPerInvoke = 3268)]
    public double ShadowOwnFeatures() => Decide(_shadowTop10, ownFeatures: true);

    private double Decide(Router shadow, bool ownFeatures)
    {
        var sum = 0.0;
        var extractor = shadow.Model.CreateExtractor();
        for (var i = 0; i < _records.Length; i++)
        {
            var record = _records[i];
            if (shadow.Model.ExpectedShape.Check(record) is not null)
            {
                continue;
            }

            ReadOnlySpan<double> features = _features[i];
            if (ownFeatures)
            {
                extractor.Extract(record, _scratch);
                features = _scratch;
            }

            sum += (int)shadow.Decide(record, features, out var score) + score;
        }

        return sum;
    }
}
