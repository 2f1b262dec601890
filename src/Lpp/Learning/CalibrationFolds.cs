using System.Collections.Immutable;

namespace Lpp;

/// <summary>
/// A training set cut into calibration folds with each fold's <see cref="RidgeGram"/> computed once, so that
/// <see cref="CalibratedRidgeTrainer.Fit(CalibrationFolds)"/> can try many α, class weights and methods on the
/// same folds without reading the training part of the data again. Immutable.
/// </summary>
public sealed class CalibrationFolds
{
    private readonly int[] _y;
    private readonly double[] _weights;

    private CalibrationFolds(FeatureMatrix x, int[] y, double[] weights, ImmutableArray<IndexSplit> folds, ImmutableArray<RidgeGram> grams)
    {
        X = x;
        _y = y;
        _weights = weights;
        Folds = folds;
        Grams = grams;
    }

    /// <summary>The training data (finite values).</summary>
    public FeatureMatrix X { get; }

    /// <summary>The folds: each fits a ridge on its training part and calibrates it on its test part.</summary>
    public ImmutableArray<IndexSplit> Folds { get; }

    /// <summary>The ridge statistics of each fold's training part.</summary>
    public ImmutableArray<RidgeGram> Grams { get; }

    /// <summary>The labels of the rows of <see cref="X"/>.</summary>
    public ReadOnlySpan<int> Y => _y;

    /// <summary>The sample weights of the rows of <see cref="X"/> (ridge fits and calibrators both use them); empty when every row weighs 1.</summary>
    public ReadOnlySpan<double> Weights => _weights;

    /// <summary>Prepares seeded stratified folds (<see cref="StratifiedSplit.KFold"/>).</summary>
    /// <exception cref="ArgumentException">See <see cref="Prepare(FeatureMatrix, ReadOnlySpan{int}, IReadOnlyList{IndexSplit})"/>; a class smaller than <paramref name="k"/>.</exception>
    public static CalibrationFolds Prepare(FeatureMatrix x, ReadOnlySpan<int> y, int k, int seed) =>
        Prepare(x, y, StratifiedSplit.KFold(y, k, seed));

    /// <summary>Prepares the given folds (for instance scikit-learn's, for a parity check).</summary>
    /// <exception cref="ArgumentException">
    /// Lengths differ, a label is not 0/1, a value is not finite, no folds, or a fold with an empty or out-of-range part,
    /// a row in both parts, or a training part lacking a class.
    /// </exception>
    public static CalibrationFolds Prepare(FeatureMatrix x, ReadOnlySpan<int> y, IReadOnlyList<IndexSplit> folds) => Prepare(x, y, folds, []);

    /// <summary>Prepares seeded stratified folds over rows with sample weights <paramref name="weights"/> (empty: every row weighs 1).</summary>
    /// <exception cref="ArgumentException">See <see cref="Prepare(FeatureMatrix, ReadOnlySpan{int}, IReadOnlyList{IndexSplit}, ReadOnlySpan{double})"/>; a class smaller than <paramref name="k"/>.</exception>
    public static CalibrationFolds Prepare(FeatureMatrix x, ReadOnlySpan<int> y, int k, int seed, ReadOnlySpan<double> weights) =>
        Prepare(x, y, StratifiedSplit.KFold(y, k, seed), weights);

    /// <summary>Prepares the given folds over rows with sample weights <paramref name="weights"/> (one per row of <paramref name="x"/>; empty: every row weighs 1).</summary>
    /// <exception cref="ArgumentException">
    /// Lengths differ, a label is not 0/1, a value is not finite, a weight is not positive and finite, no folds, or a
    /// fold with an empty or out-of-range part, a row in both parts, or a training part lacking a class.
    /// </exception>
    public static CalibrationFolds Prepare(FeatureMatrix x, ReadOnlySpan<int> y, IReadOnlyList<IndexSplit> folds, ReadOnlySpan<double> weights)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(folds);
        Guard.SameLength(x.Rows, y.Length, nameof(y), "one per row of x");
        BinaryLabels.Count(y, nameof(y));
        x.RequireFinite(nameof(x), "impute missing values first");
        if (!weights.IsEmpty)
        {
            SampleWeights.Check(weights, x.Rows, nameof(weights));
        }

        if (folds.Count == 0)
        {
            throw new ArgumentException("at least one fold is needed", nameof(folds));
        }

        var grams = ImmutableArray.CreateBuilder<RidgeGram>(folds.Count);
        var inTest = new bool[x.Rows];
        for (var f = 0; f < folds.Count; f++)
        {
            var fold = folds[f] ?? throw new ArgumentException($"fold {f} is null", nameof(folds));
            if (fold.Train.IsDefaultOrEmpty || fold.Test.IsDefaultOrEmpty)
            {
                throw new ArgumentException($"fold {f} has an empty training or test part", nameof(folds));
            }

            Array.Clear(inTest);
            foreach (var row in fold.Test)
            {
                if ((uint)row >= (uint)x.Rows)
                {
                    throw new ArgumentException($"fold {f} test row {row} is outside 0..{x.Rows - 1}", nameof(folds));
                }

                inTest[row] = true;
            }

            foreach (var row in fold.Train)
            {
                if ((uint)row < (uint)x.Rows && inTest[row])
                {
                    throw new ArgumentException($"fold {f} has row {row} in both its training and test parts", nameof(folds));
                }
            }

            try
            {
                grams.Add(RidgeGram.Compute(x, y, fold.Train.AsSpan(), weights));
            }
            catch (ArgumentException e)
            {
                throw new ArgumentException($"fold {f} training part: {e.Message}", nameof(folds), e);
            }
        }

        return new CalibrationFolds(x, y.ToArray(), weights.ToArray(), [.. folds], grams.MoveToImmutable());
    }
}
