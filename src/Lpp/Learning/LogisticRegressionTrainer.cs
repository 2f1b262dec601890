using System.Runtime.CompilerServices;

namespace Lpp;

/// <summary>
/// Fits an L2-regularised logistic regression as scikit-learn 1.2.1's <c>LogisticRegression(penalty="l2", C,
/// class_weight)</c> defines it: the minimiser of Σ_i w_i·[ln(1 + e^{z_i}) − y_i·z_i] + ‖coef‖²/(2C) with
/// z_i = x_i·coef + intercept and the intercept unpenalised (lower is better). The objective is strictly convex; this
/// solves it by Newton's method with a backtracking line search to the optimum itself, where scikit-learn's lbfgs
/// stops at its tolerance. Stateless apart from its options; thread-safe.
/// </summary>
public sealed class LogisticRegressionTrainer
{
    private const int MaxIterations = 100;

    /// <summary>Creates a trainer; <paramref name="options"/> are validated.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range (named in the message).</exception>
    public LogisticRegressionTrainer(LogisticRegressionOptions? options = null)
    {
        options ??= new LogisticRegressionOptions();
        options.Validate();
        Options = options;
    }

    /// <summary>The options in force.</summary>
    public LogisticRegressionOptions Options { get; }

    /// <summary>Fits on <paramref name="x"/> (finite values) with labels <paramref name="y"/> (0 or 1, both present).</summary>
    /// <exception cref="ArgumentException">Lengths differ, a label is not 0/1, a class is absent, or a value is not finite.</exception>
    public LogisticRegressionModel Fit(FeatureMatrix x, ReadOnlySpan<int> y) => Fit(x, y, []);

    /// <summary>
    /// Fits with sample weights <paramref name="sampleWeights"/> (one per row; empty: every row weighs 1), as
    /// scikit-learn's <c>fit(X, y, sample_weight)</c>: row i's loss term is multiplied by its class weight times its
    /// sample weight, so an integer sample weight fits as that many copies of the row.
    /// </summary>
    /// <exception cref="ArgumentException">Lengths differ, a label is not 0/1, a class is absent, a value is not finite, or a weight is not positive and finite.</exception>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public LogisticRegressionModel Fit(FeatureMatrix x, ReadOnlySpan<int> y, ReadOnlySpan<double> sampleWeights)
    {
        ArgumentNullException.ThrowIfNull(x);
        Guard.SameLength(x.Rows, y.Length, nameof(y), "one per row of x");
        var counts = BinaryLabels.Count(y, nameof(y));
        BinaryLabels.RequireBoth(counts, nameof(y));
        x.RequireFinite(nameof(x), "impute missing values first");
        if (!sampleWeights.IsEmpty)
        {
            SampleWeights.Check(sampleWeights, x.Rows, nameof(sampleWeights));
        }

        var (w0, w1) = Options.ClassWeight.Resolve(counts.Negatives, counts.Positives);
        var n = x.Rows;
        var d = x.Columns;
        var k = d + 1;
        var weights = new double[n];
        double negatives = counts.Negatives, positives = counts.Positives;
        for (var i = 0; i < n; i++)
        {
            weights[i] = y[i] == 1 ? w1 : w0;
        }

        if (!sampleWeights.IsEmpty)
        {
            (negatives, positives) = (0, 0);
            for (var i = 0; i < n; i++)
            {
                weights[i] *= sampleWeights[i];
                negatives += y[i] == 0 ? sampleWeights[i] : 0;
                positives += y[i] == 1 ? sampleWeights[i] : 0;
            }
        }

        // Start from no coefficients and the weighted log-odds of class 1 as intercept.
        var theta = new double[k];
        theta[d] = Math.Log(w1 * positives / (w0 * negatives));
        var penalty = 1 / Options.C;
        var z = new double[n];
        var loss = Objective(x, y, weights, theta, penalty, z);
        var gradient = new double[k];
        var hessian = new double[k * k];
        var step = new double[k];
        var next = new double[k];
        var nextZ = new double[n];
        var extended = new double[k];
        extended[d] = 1;
        for (var iteration = 0; iteration < MaxIterations; iteration++)
        {
            Array.Clear(gradient);
            Array.Clear(hessian);
            for (var i = 0; i < n; i++)
            {
                var p = LogisticRegressionModel.Sigmoid(z[i]);
                var r = weights[i] * (p - y[i]);
                var h = weights[i] * p * (1 - p);
                x.Row(i).CopyTo(extended);
                for (var a = 0; a < k; a++)
                {
                    var ea = extended[a];
                    gradient[a] += r * ea;
                    var scaled = h * ea;
                    var row = hessian.AsSpan(a * k, a + 1);
                    for (var b = 0; b <= a; b++)
                    {
                        row[b] += scaled * extended[b];
                    }
                }
            }

            for (var j = 0; j < d; j++)
            {
                gradient[j] += penalty * theta[j];
                hessian[(j * k) + j] += penalty;
            }

            for (var a = 0; a < k; a++)
            {
                step[a] = -gradient[a];
            }

            DenseMath.CholeskySolve(hessian, step, k);

            // Backtrack until the objective falls (Armijo with a tiny slope fraction), or give up at rounding level.
            var slope = DenseMath.Dot(gradient, step);
            if (!(slope < 0))
            {
                break;
            }

            var t = 1.0;
            double nextLoss;
            while (true)
            {
                for (var a = 0; a < k; a++)
                {
                    next[a] = theta[a] + (t * step[a]);
                }

                nextLoss = Objective(x, y, weights, next, penalty, nextZ);
                if (nextLoss <= loss + (1e-4 * t * slope) || t < 1e-10)
                {
                    break;
                }

                t /= 2;
            }

            if (!(nextLoss <= loss))
            {
                break;
            }

            var moved = 0.0;
            for (var a = 0; a < k; a++)
            {
                moved = Math.Max(moved, Math.Abs(next[a] - theta[a]) / (1 + Math.Abs(theta[a])));
            }

            (theta, next) = (next, theta);
            (z, nextZ) = (nextZ, z);
            loss = nextLoss;

            // Newton converges quadratically: a step this small means the next one is at rounding level.
            if (moved < 1e-13)
            {
                break;
            }
        }

        return new LogisticRegressionModel([.. theta.AsSpan(0, d)], theta[d]);
    }

    /// <summary>The objective at <paramref name="theta"/> (coefficients then intercept); fills <paramref name="z"/> with the log-odds.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static double Objective(FeatureMatrix x, ReadOnlySpan<int> y, double[] weights, double[] theta, double penalty, double[] z)
    {
        var d = x.Columns;
        var coefficients = theta.AsSpan(0, d);
        var loss = 0.0;
        for (var i = 0; i < z.Length; i++)
        {
            var value = DenseMath.Dot(x.Row(i), coefficients) + theta[d];
            z[i] = value;

            // ln(1 + e^z) − y·z, as softplus without overflow.
            var softplus = Math.Max(value, 0) + Math.Log(1 + Math.Exp(-Math.Abs(value)));
            loss += weights[i] * (softplus - (y[i] * value));
        }

        return loss + (0.5 * penalty * DenseMath.Dot(coefficients, coefficients));
    }
}
