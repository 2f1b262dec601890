using System.Runtime.CompilerServices;
namespace Lpp;

/// <summary>
/// Sufficient statistics of a ridge-classifier fit on one training set, computed once: per class c, the count n_c,
/// the sum s_c = Σ x and the Gram matrix S_c = Σ x xᵀ (about a fixed shift, the unweighted mean, for accuracy).
/// <see cref="RidgeClassifierTrainer.Fit(RidgeGram)"/> then solves for any α and class weights in O(d³) without
/// reading the n×d data again: with W = w0·n0 + w1·n1, μ = (w0·s0 + w1·s1)/W and ȳ = (w1·n1 − w0·n0)/W,
/// (w0·S0 + w1·S1 − W·μμᵀ + αI)·coef = w1·s1 − w0·s0 − W·μ·ȳ, intercept = ȳ − μ·coef. Immutable.
/// </summary>
public sealed class RidgeGram
{
    private readonly double[] _shift;
    private readonly double[] _gram0;
    private readonly double[] _gram1;
    private readonly double[] _sum0;
    private readonly double[] _sum1;
    private readonly double _weight0;
    private readonly double _weight1;

    private RidgeGram(int features, int class0Count, int class1Count, double[] shift, double[] gram0, double[] gram1, double[] sum0, double[] sum1, double weight0, double weight1)
    {
        _weight0 = weight0;
        _weight1 = weight1;
        Features = features;
        Class0Count = class0Count;
        Class1Count = class1Count;
        _shift = shift;
        _gram0 = gram0;
        _gram1 = gram1;
        _sum0 = sum0;
        _sum1 = sum1;
    }

    /// <summary>Number of feature columns d.</summary>
    public int Features { get; }

    /// <summary>Number of class-0 rows.</summary>
    public int Class0Count { get; }

    /// <summary>Number of class-1 rows.</summary>
    public int Class1Count { get; }

    /// <summary>Statistics of all rows of <paramref name="x"/> with labels <paramref name="y"/> (0 or 1).</summary>
    /// <exception cref="ArgumentException">Lengths differ, a label is not 0/1, a class is absent, or a value is not finite.</exception>
    public static RidgeGram Compute(FeatureMatrix x, ReadOnlySpan<int> y)
    {
        ArgumentNullException.ThrowIfNull(x);
        var rows = new int[x.Rows];
        for (var i = 0; i < rows.Length; i++)
        {
            rows[i] = i;
        }

        return Compute(x, y, rows);
    }

    /// <summary>
    /// Statistics of the rows <paramref name="rows"/> of <paramref name="x"/> (a training fold, without copying it);
    /// <paramref name="y"/> holds the labels of all rows of <paramref name="x"/>.
    /// </summary>
    /// <exception cref="ArgumentException">Lengths differ, a row or label is invalid, a class is absent, or a value is not finite.</exception>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static RidgeGram Compute(FeatureMatrix x, ReadOnlySpan<int> y, ReadOnlySpan<int> rows) => Compute(x, y, rows, []);

    /// <summary>
    /// Statistics of the rows <paramref name="rows"/> of <paramref name="x"/> with sample weights
    /// <paramref name="weights"/> (one per row of <paramref name="x"/>; empty: every row weighs 1): n_c becomes the
    /// class's total weight, s_c = Σ w·x and S_c = Σ w·x xᵀ, so an integer weight fits as that many copies of the row.
    /// Class weights multiply the sample weights; "balanced" class weights are computed from the row counts, as
    /// scikit-learn's <c>RidgeClassifier(class_weight="balanced").fit(X, y, sample_weight)</c> does.
    /// </summary>
    /// <exception cref="ArgumentException">Lengths differ, a row, label or weight is invalid, a class is absent, or a value is not finite.</exception>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static RidgeGram Compute(FeatureMatrix x, ReadOnlySpan<int> y, ReadOnlySpan<int> rows, ReadOnlySpan<double> weights)
    {
        ArgumentNullException.ThrowIfNull(x);
        Guard.SameLength(x.Rows, y.Length, nameof(y), "one per row of x");
        var counts = BinaryLabels.Count(y, rows, nameof(rows));
        BinaryLabels.RequireBoth(counts, nameof(y));
        if (!weights.IsEmpty)
        {
            SampleWeights.Check(weights, x.Rows, nameof(weights));
        }

        var d = x.Columns;
        var shift = new double[d];
        foreach (var r in rows)
        {
            var row = x.Row(r);
            for (var j = 0; j < d; j++)
            {
                if (!double.IsFinite(row[j]))
                {
                    throw new ArgumentException($"value at row {r}, column {j} is {row[j]}; impute missing values first", nameof(x));
                }

                shift[j] += row[j];
            }
        }

        for (var j = 0; j < d; j++)
        {
            shift[j] /= rows.Length;
        }

        var (gram0, sum0, weight0) = ClassStatistics(x, y, rows, 0, counts.Negatives, shift, weights);
        var (gram1, sum1, weight1) = ClassStatistics(x, y, rows, 1, counts.Positives, shift, weights);
        return new RidgeGram(d, counts.Negatives, counts.Positives, shift, gram0, gram1, sum0, sum1, weight0, weight1);
    }

    /// <summary>Solves the weighted, centred ridge system for <paramref name="alpha"/> and <paramref name="classWeight"/>.</summary>
    internal RidgeClassifierModel Solve(double alpha, ClassWeight classWeight)
    {
        var d = Features;
        var (w0, w1) = classWeight.Resolve(Class0Count, Class1Count);
        var total = (w0 * _weight0) + (w1 * _weight1);
        var yMean = ((w1 * _weight1) - (w0 * _weight0)) / total;
        var mu = new double[d];
        for (var j = 0; j < d; j++)
        {
            mu[j] = ((w0 * _sum0[j]) + (w1 * _sum1[j])) / total;
        }

        var a = new double[d * d];
        var b = new double[d];
        for (var i = 0; i < d; i++)
        {
            for (var j = 0; j <= i; j++)
            {
                var k = (i * d) + j;
                a[k] = (w0 * _gram0[k]) + (w1 * _gram1[k]) - (total * mu[i] * mu[j]);
            }

            a[(i * d) + i] += alpha;
            b[i] = (w1 * _sum1[i]) - (w0 * _sum0[i]) - (total * mu[i] * yMean);
        }

        DenseMath.CholeskySolve(a, b, d);
        var intercept = yMean;
        for (var j = 0; j < d; j++)
        {
            intercept -= (_shift[j] + mu[j]) * b[j];
        }

        return new RidgeClassifierModel([.. b], intercept);
    }

    private static (double[] Gram, double[] Sum, double Weight) ClassStatistics(FeatureMatrix x, ReadOnlySpan<int> y, ReadOnlySpan<int> rows, int label, int count, double[] shift, ReadOnlySpan<double> weights)
    {
        var d = x.Columns;

        // Column-major copy of the class's shifted rows, so that every Gram entry is one contiguous dot product;
        // weighted, each row is scaled by √w (so the dot products are Σ w·a·b) and √w is kept for the sums.
        var columns = new double[d * count];
        var roots = weights.IsEmpty ? null : new double[count];
        var weight = weights.IsEmpty ? count : 0.0;
        var i = 0;
        foreach (var r in rows)
        {
            if (y[r] != label)
            {
                continue;
            }

            var row = x.Row(r);
            var root = 1.0;
            if (roots is not null)
            {
                weight += weights[r];
                root = roots[i] = Math.Sqrt(weights[r]);
            }

            for (var j = 0; j < d; j++)
            {
                columns[(j * count) + i] = roots is null ? row[j] - shift[j] : root * (row[j] - shift[j]);
            }

            i++;
        }

        var gram = new double[d * d];
        var sum = new double[d];
        for (var a = 0; a < d; a++)
        {
            var columnA = columns.AsSpan(a * count, count);
            var s = 0.0;
            if (roots is null)
            {
                foreach (var v in columnA)
                {
                    s += v;
                }
            }
            else
            {
                s = DenseMath.Dot(columnA, roots);
            }

            sum[a] = s;
            for (var b = 0; b <= a; b++)
            {
                var g = DenseMath.Dot(columnA, columns.AsSpan(b * count, count));
                gram[(a * d) + b] = g;
                gram[(b * d) + a] = g;
            }
        }

        return (gram, sum, weight);
    }
}
