using BenchmarkDotNet.Attributes;

namespace Lpp.Benchmarks;

/// <summary>
/// The paper's grid on one training set of 2,000 rows × 49 features: 4 alphas × 7 class weights of the ridge, fitted
/// directly each time or solved from per-class Gram statistics computed once; plus Tomek links and the calibrated
/// ensemble of one grid point. Not sealed: BenchmarkDotNet derives from benchmark classes.
/// Run: dotnet run -c Release --project bench/Lpp.Benchmarks -- --filter '*Learning*'
/// </summary>
[MemoryDiagnoser]
public class LearningBenchmarks
{
    private const int Rows = 2000;
    private const int Columns = 49;

    private FeatureMatrix _x = null!;
    private int[] _y = null!;
    private RidgeClassifierTrainer[] _grid = null!;
    private CalibrationFolds _folds = null!;
    private CalibratedRidgeTrainer _sigmoid = null!;

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(42);
        var values = new double[Rows * Columns];
        _y = new int[Rows];
        for (var r = 0; r < Rows; r++)
        {
            var score = 0.0;
            for (var c = 0; c < Columns; c++)
            {
                var v = (random.NextDouble() * 2) - 1;
                values[(r * Columns) + c] = v;
                score += c % 3 == 0 ? v : 0;
            }

            _y[r] = score + random.NextDouble() - 0.5 > -1 ? 1 : 0;
        }

        _x = new FeatureMatrix(Rows, Columns, values);
        ClassWeight[] weights = [.. new[] { 0.5, 0.8, 1.0, 1.2, 1.5 }.Select(m => ClassWeight.Explicit(0.64 * m, 1)), ClassWeight.Balanced, ClassWeight.None];
        _grid = [.. new[] { 0.1, 1.0, 10.0, 100.0 }.SelectMany(alpha => weights.Select(w => new RidgeClassifierTrainer(new() { Alpha = alpha, ClassWeight = w })))];
        _folds = CalibrationFolds.Prepare(_x, _y, 3, seed: 42);
        _sigmoid = new CalibratedRidgeTrainer(new() { Ridge = new() { Alpha = 1, ClassWeight = ClassWeight.Balanced } });
    }

    /// <summary>28 direct fits, each reading the 2,000 × 49 data.</summary>
    [Benchmark(Baseline = true)]
    public double RidgeGridDirect()
    {
        var sum = 0.0;
        foreach (var trainer in _grid)
        {
            sum += trainer.Fit(_x, _y).Intercept;
        }

        return sum;
    }

    /// <summary>One pass over the data for the Gram statistics, then 28 O(d³) solves.</summary>
    [Benchmark]
    public double RidgeGridGram()
    {
        var gram = RidgeGram.Compute(_x, _y);
        var sum = 0.0;
        foreach (var trainer in _grid)
        {
            sum += trainer.Fit(gram).Intercept;
        }

        return sum;
    }

    /// <summary>A 3-fold calibrated ensemble from prepared folds (one grid point of the search).</summary>
    [Benchmark]
    public double CalibratedEnsembleFromPreparedFolds() => _sigmoid.Fit(_folds).Members.Length;

    /// <summary>Tomek links on the 2,000 rows (all pairwise distances).</summary>
    [Benchmark]
    public int TomekLinks() => Resampling.TomekLinks(_x, _y).Length;
}
