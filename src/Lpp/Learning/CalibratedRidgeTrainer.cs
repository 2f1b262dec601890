using System.Collections.Immutable;

namespace Lpp;

/// <summary>
/// Fits a <see cref="CalibratedRidgeModel"/> as scikit-learn 1.2.1's <c>CalibratedClassifierCV(RidgeClassifier(...),
/// cv=k, method=..., ensemble=True)</c>: on each fold a ridge classifier is fitted on the training part (class weights
/// "balanced" computed on that part) and a calibrator on its decision scores over the held-out part; the model
/// averages the k calibrated members. Stateless apart from its options; thread-safe.
/// </summary>
public sealed class CalibratedRidgeTrainer
{
    private readonly RidgeClassifierTrainer _ridge;

    /// <summary>Creates a trainer; <paramref name="options"/> are validated.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range (named in the message).</exception>
    public CalibratedRidgeTrainer(CalibratedRidgeOptions? options = null)
    {
        options ??= new CalibratedRidgeOptions();
        options.Validate();
        Options = options;
        _ridge = new RidgeClassifierTrainer(options.Ridge);
    }

    /// <summary>The options in force.</summary>
    public CalibratedRidgeOptions Options { get; }

    /// <summary>Fits on seeded stratified folds (<see cref="CalibratedRidgeOptions.Folds"/>, <see cref="CalibratedRidgeOptions.Seed"/>).</summary>
    /// <exception cref="ArgumentException">See <see cref="CalibrationFolds.Prepare(FeatureMatrix, ReadOnlySpan{int}, int, int)"/>.</exception>
    public CalibratedRidgeModel Fit(FeatureMatrix x, ReadOnlySpan<int> y) =>
        Fit(CalibrationFolds.Prepare(x, y, Options.Folds, Options.Seed));

    /// <summary>Fits on the given folds (<see cref="CalibratedRidgeOptions.Folds"/> and the seed are not used).</summary>
    /// <exception cref="ArgumentException">See <see cref="CalibrationFolds.Prepare(FeatureMatrix, ReadOnlySpan{int}, IReadOnlyList{IndexSplit})"/>.</exception>
    public CalibratedRidgeModel Fit(FeatureMatrix x, ReadOnlySpan<int> y, IReadOnlyList<IndexSplit> folds) =>
        Fit(CalibrationFolds.Prepare(x, y, folds));

    /// <summary>Fits on prepared folds, reusing their ridge statistics.</summary>
    public CalibratedRidgeModel Fit(CalibrationFolds folds) => FitEachMethod(folds, [Options.Method])[0];

    /// <summary>
    /// Fits the fold ridge models once and calibrates them with each of <paramref name="methods"/>: the same models
    /// as calling <see cref="Fit(CalibrationFolds)"/> once per method (<see cref="CalibratedRidgeOptions.Method"/> is
    /// ignored), without solving the same ridge twice.
    /// </summary>
    public IReadOnlyList<CalibratedRidgeModel> FitEachMethod(CalibrationFolds folds, IReadOnlyList<CalibrationMethod> methods)
    {
        ArgumentNullException.ThrowIfNull(folds);
        ArgumentNullException.ThrowIfNull(methods);
        var members = methods.Select(_ => ImmutableArray.CreateBuilder<CalibratedRidgeMember>(folds.Folds.Length)).ToArray();
        var y = folds.Y;
        var weights = folds.Weights;
        for (var f = 0; f < folds.Folds.Length; f++)
        {
            var ridge = _ridge.Fit(folds.Grams[f]);
            var test = folds.Folds[f].Test.AsSpan();
            var decisions = new double[test.Length];
            var labels = new int[test.Length];
            var testWeights = weights.IsEmpty ? [] : new double[test.Length];
            ridge.Decisions(folds.X, test, decisions);
            for (var i = 0; i < test.Length; i++)
            {
                labels[i] = y[test[i]];
                if (!weights.IsEmpty)
                {
                    testWeights[i] = weights[test[i]];
                }
            }

            for (var m = 0; m < methods.Count; m++)
            {
                members[m].Add(new CalibratedRidgeMember(ridge, Calibration.Fit(methods[m], decisions, labels, testWeights)));
            }
        }

        return [.. members.Select(b => new CalibratedRidgeModel(b.MoveToImmutable()))];
    }
}
