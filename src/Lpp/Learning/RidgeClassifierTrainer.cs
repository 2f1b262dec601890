namespace Lpp;

/// <summary>
/// Fits a <see cref="RidgeClassifierModel"/> as scikit-learn's <c>RidgeClassifier</c> (dense X, Cholesky solver):
/// targets t = +1 for class 1 and −1 for class 0, sample weights w from <see cref="RidgeClassifierOptions.ClassWeight"/>,
/// X and t centred on their w-weighted means so that the intercept is not penalised, then
/// coef = (Xcᵀ W Xc + αI)⁻¹ Xcᵀ W tc and intercept = t̄ − x̄·coef. The minimised objective is
/// Σ w (t − f(x))² + α‖coef‖². Stateless apart from its options; thread-safe.
/// </summary>
public sealed class RidgeClassifierTrainer
{
    /// <summary>Creates a trainer; <paramref name="options"/> are validated.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range (named in the message).</exception>
    public RidgeClassifierTrainer(RidgeClassifierOptions? options = null)
    {
        options ??= new RidgeClassifierOptions();
        options.Validate();
        Options = options;
    }

    /// <summary>The options in force.</summary>
    public RidgeClassifierOptions Options { get; }

    /// <summary>Fits on the rows of <paramref name="x"/> (finite values) with labels <paramref name="y"/> (0 or 1).</summary>
    /// <exception cref="ArgumentException">Lengths differ, a label is not 0/1, a class is absent, or a value is not finite.</exception>
    public RidgeClassifierModel Fit(FeatureMatrix x, ReadOnlySpan<int> y)
    {
        ArgumentNullException.ThrowIfNull(x);
        Guard.SameLength(x.Rows, y.Length, nameof(y), "one per row of x");
        var counts = BinaryLabels.Count(y, nameof(y));
        BinaryLabels.RequireBoth(counts, nameof(y));
        x.RequireFinite(nameof(x), "impute missing values first");
        var (w0, w1) = Options.ClassWeight.Resolve(counts.Negatives, counts.Positives);
        var n = x.Rows;
        var d = x.Columns;

        // Weighted means of X and of the ±1 targets.
        var total = 0.0;
        var yMean = 0.0;
        var mean = new double[d];
        for (var r = 0; r < n; r++)
        {
            var w = y[r] == 1 ? w1 : w0;
            total += w;
            yMean += w * (y[r] == 1 ? 1.0 : -1.0);
            var row = x.Row(r);
            for (var j = 0; j < d; j++)
            {
                mean[j] += w * row[j];
            }
        }

        yMean /= total;
        for (var j = 0; j < d; j++)
        {
            mean[j] /= total;
        }

        // Z = √w·(X − x̄) column-major and z = √w·(t − t̄), then (ZᵀZ + αI) coef = Zᵀz.
        var z = new double[d * n];
        var target = new double[n];
        for (var r = 0; r < n; r++)
        {
            var sqrtW = Math.Sqrt(y[r] == 1 ? w1 : w0);
            target[r] = sqrtW * ((y[r] == 1 ? 1.0 : -1.0) - yMean);
            var row = x.Row(r);
            for (var j = 0; j < d; j++)
            {
                z[(j * n) + r] = sqrtW * (row[j] - mean[j]);
            }
        }

        var a = new double[d * d];
        var b = new double[d];
        for (var i = 0; i < d; i++)
        {
            var columnI = z.AsSpan(i * n, n);
            for (var j = 0; j <= i; j++)
            {
                a[(i * d) + j] = DenseMath.Dot(columnI, z.AsSpan(j * n, n));
            }

            a[(i * d) + i] += Options.Alpha;
            b[i] = DenseMath.Dot(columnI, target);
        }

        DenseMath.CholeskySolve(a, b, d);
        var intercept = yMean - DenseMath.Dot(mean, b);
        return new RidgeClassifierModel([.. b], intercept);
    }

    /// <summary>Fits from precomputed statistics of a training set; equal to <see cref="Fit(FeatureMatrix, ReadOnlySpan{int})"/> on it up to rounding.</summary>
    /// <exception cref="ArgumentException">Balanced weights on statistics with an empty class.</exception>
    public RidgeClassifierModel Fit(RidgeGram gram)
    {
        ArgumentNullException.ThrowIfNull(gram);
        return gram.Solve(Options.Alpha, Options.ClassWeight);
    }
}
