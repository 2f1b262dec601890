using System.Runtime.CompilerServices;
namespace Lpp;

/// <summary>
/// Fits score calibrators that turn a classifier's decision score f into P(class 1), reproducing scikit-learn 1.2.1's
/// <c>CalibratedClassifierCV</c> calibrators. Both fits minimise a loss on held-out (score, label) pairs; lower log
/// loss / Brier score of the result is better.
/// </summary>
public static class Calibration
{
    private const double UniqueResolution = 1e-15;

    /// <summary>Fits the calibrator of <paramref name="method"/>.</summary>
    /// <exception cref="ArgumentException">See <see cref="Platt(ReadOnlySpan{double}, ReadOnlySpan{int})"/> and <see cref="Isotonic(ReadOnlySpan{double}, ReadOnlySpan{int})"/>.</exception>
    public static IScoreCalibrator Fit(CalibrationMethod method, ReadOnlySpan<double> scores, ReadOnlySpan<int> y) => Fit(method, scores, y, []);

    /// <summary>Fits the calibrator of <paramref name="method"/> with sample weights <paramref name="weights"/> (empty: every score weighs 1).</summary>
    /// <exception cref="ArgumentException">See <see cref="Platt(ReadOnlySpan{double}, ReadOnlySpan{int}, ReadOnlySpan{double})"/> and <see cref="Isotonic(ReadOnlySpan{double}, ReadOnlySpan{int}, ReadOnlySpan{double})"/>.</exception>
    public static IScoreCalibrator Fit(CalibrationMethod method, ReadOnlySpan<double> scores, ReadOnlySpan<int> y, ReadOnlySpan<double> weights) => method switch
    {
        CalibrationMethod.Sigmoid => Platt(scores, y, weights),
        CalibrationMethod.Isotonic => Isotonic(scores, y, weights),
        _ => throw new ArgumentOutOfRangeException(nameof(method), method, "calibration method must be Sigmoid or Isotonic"),
    };

    /// <summary>
    /// Platt scaling as scikit-learn 1.2.1's <c>_sigmoid_calibration</c>: with N+ positives and N− negatives, targets
    /// T = (N+ + 1)/(N+ + 2) for class 1 and 1/(N− + 2) for class 0, p = 1/(1 + exp(a·f + b)), and (a, b) minimising
    /// the cross-entropy −Σ [T ln p + (1 − T) ln(1 − p)] (lower is better), from the start (0, ln((N− + 1)/(N+ + 1))).
    /// sklearn stops BFGS at a gradient norm of 1e-5; this runs damped Newton steps to the optimum itself, so
    /// parameters agree to the accuracy of sklearn's stopping point.
    /// </summary>
    /// <exception cref="ArgumentException">No scores, lengths differ, a label is not 0/1, or a score is not finite.</exception>
    public static PlattCalibrator Platt(ReadOnlySpan<double> scores, ReadOnlySpan<int> y) => Platt(scores, y, []);

    /// <summary>
    /// Platt scaling with sample weights w (empty: every score weighs 1): N+ and N− are the classes' total weights
    /// and each term of the cross-entropy is multiplied by its weight, so an integer weight fits as that many copies
    /// of the score. (scikit-learn's <c>sample_weight</c> weights the loss the same way but counts N± unweighted.)
    /// </summary>
    /// <exception cref="ArgumentException">No scores, lengths differ, a label is not 0/1, a score is not finite, or a weight is not positive and finite.</exception>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static PlattCalibrator Platt(ReadOnlySpan<double> scores, ReadOnlySpan<int> y, ReadOnlySpan<double> weights)
    {
        var (negatives, positives) = CheckInput(scores, y, weights);
        var targets = new double[y.Length];
        var high = (positives + 1.0) / (positives + 2.0);
        var low = 1.0 / (negatives + 2.0);
        for (var i = 0; i < y.Length; i++)
        {
            targets[i] = y[i] == 1 ? high : low;
        }

        var a = 0.0;
        var b = Math.Log((negatives + 1.0) / (positives + 1.0));
        var loss = PlattLoss(scores, targets, weights, a, b);
        for (var iteration = 0; iteration < 200; iteration++)
        {
            // Gradient and Hessian of the loss in (a, b): with z = a·f + b, ∂loss/∂z = T − p and ∂²loss/∂z² = p(1 − p).
            double gA = 0, gB = 0, hAA = 0, hAB = 0, hBB = 0;
            for (var i = 0; i < scores.Length; i++)
            {
                var f = scores[i];
                var p = 1.0 / (1.0 + Math.Exp((a * f) + b));
                var weight = SampleWeights.At(weights, i);
                var r = weight * (targets[i] - p);
                var w = weight * (p * (1 - p));
                gA += r * f;
                gB += r;
                hAA += w * f * f;
                hAB += w * f;
                hBB += w;
            }

            // Newton step, damped when the Hessian is (nearly) singular, as for constant scores.
            var damping = 0.0;
            var det = (hAA * hBB) - (hAB * hAB);
            if (!(det > 1e-12 * hAA * hBB))
            {
                damping = (1e-10 * (hAA + hBB)) + 1e-300;
                det = ((hAA + damping) * (hBB + damping)) - (hAB * hAB);
            }

            var stepA = -(((hBB + damping) * gA) - (hAB * gB)) / det;
            var stepB = -(((hAA + damping) * gB) - (hAB * gA)) / det;
            if (!double.IsFinite(stepA) || !double.IsFinite(stepB))
            {
                break;
            }

            // Backtrack while the loss rises by more than rounding.
            var t = 1.0;
            double nextA = a, nextB = b, nextLoss = loss; // assigned in the loop; initialised so that mutation testing can compile its variants
            while (true)
            {
                nextA = a + (t * stepA);
                nextB = b + (t * stepB);
                nextLoss = PlattLoss(scores, targets, weights, nextA, nextB);
                if (nextLoss <= loss + (1e-13 * Math.Abs(loss)) || t < 1e-10)
                {
                    break;
                }

                t /= 2;
            }

            // Stop at the optimum: when no step lowers the loss beyond rounding (the line search gave up) or the step
            // no longer moves (a, b) by more than 1e-12 relative, far below the 1e-6 that calibrated probabilities need.
            if (t < 1e-10)
            {
                break;
            }

            var moved = Math.Max(Math.Abs(nextA - a) / (1 + Math.Abs(a)), Math.Abs(nextB - b) / (1 + Math.Abs(b)));
            a = nextA;
            b = nextB;
            loss = nextLoss;
            if (moved < 1e-12)
            {
                break;
            }
        }

        return new PlattCalibrator(a, b);
    }

    /// <summary>
    /// Isotonic calibration as scikit-learn 1.2.1's <c>IsotonicRegression(increasing=True, out_of_bounds="clip")</c>
    /// fitted on (score, label): points sorted by score, labels averaged over scores within 1e-15 of a group's first
    /// score, pool-adjacent-violators for the non-decreasing least-squares fit (lower squared error is better), points
    /// interior to a flat run dropped.
    /// </summary>
    /// <exception cref="ArgumentException">No scores, lengths differ, a label is not 0/1, or a score is not finite.</exception>
    public static IsotonicCalibrator Isotonic(ReadOnlySpan<double> scores, ReadOnlySpan<int> y) => Isotonic(scores, y, []);

    /// <summary>
    /// Isotonic calibration with sample weights (empty: every score weighs 1): a group's weight is the sum of its
    /// points' weights and its value their weighted mean label, as scikit-learn's <c>IsotonicRegression.fit(X, y,
    /// sample_weight)</c>; an integer weight fits as that many copies of the point.
    /// </summary>
    /// <exception cref="ArgumentException">No scores, lengths differ, a label is not 0/1, a score is not finite, or a weight is not positive and finite.</exception>
    public static IsotonicCalibrator Isotonic(ReadOnlySpan<double> scores, ReadOnlySpan<int> y, ReadOnlySpan<double> weights)
    {
        CheckInput(scores, y, weights);
        var n = scores.Length;
        var order = new (double Score, int Label, double Weight)[n];
        for (var i = 0; i < n; i++)
        {
            order[i] = (scores[i], y[i], SampleWeights.At(weights, i));
        }

        Array.Sort(order);

        // Unique scores (sklearn's _make_unique): weight = count, value = mean label.
        var x = new List<double>();
        var value = new List<double>();
        var weight = new List<double>();
        var current = order[0].Score;
        double sum = 0, count = 0;
        foreach (var (score, label, w) in order)
        {
            if (score - current >= UniqueResolution)
            {
                x.Add(current);
                value.Add(sum / count);
                weight.Add(count);
                current = score;
                sum = 0;
                count = 0;
            }

            sum += w * label;
            count += w;
        }

        x.Add(current);
        value.Add(sum / count);
        weight.Add(count);

        var fitted = PoolAdjacentViolators(value, weight);

        // Keep the ends and every point whose value differs from a neighbour's.
        var keptX = new List<double>(x.Count);
        var keptY = new List<double>(x.Count);
        for (var i = 0; i < x.Count; i++)
        {
            if (i == 0 || i == x.Count - 1 || fitted[i] != fitted[i - 1] || fitted[i] != fitted[i + 1])
            {
                keptX.Add(x[i]);
                keptY.Add(fitted[i]);
            }
        }

        return new IsotonicCalibrator([.. keptX], [.. keptY]);
    }

    /// <summary>The non-decreasing sequence closest to <paramref name="value"/> in <paramref name="weight"/>-weighted least squares.</summary>
    private static double[] PoolAdjacentViolators(List<double> value, List<double> weight)
    {
        var n = value.Count;
        var blockValue = new double[n];
        var blockWeight = new double[n];
        var blockEnd = new int[n];
        var blocks = 0;
        for (var i = 0; i < n; i++)
        {
            blockValue[blocks] = value[i];
            blockWeight[blocks] = weight[i];
            blockEnd[blocks] = i + 1;
            blocks++;
            while (blocks > 1 && blockValue[blocks - 2] >= blockValue[blocks - 1])
            {
                var w = blockWeight[blocks - 2] + blockWeight[blocks - 1];
                blockValue[blocks - 2] = ((blockWeight[blocks - 2] * blockValue[blocks - 2]) + (blockWeight[blocks - 1] * blockValue[blocks - 1])) / w;
                blockWeight[blocks - 2] = w;
                blockEnd[blocks - 2] = blockEnd[blocks - 1];
                blocks--;
            }
        }

        var result = new double[n];
        var start = 0;
        for (var k = 0; k < blocks; k++)
        {
            result.AsSpan(start, blockEnd[k] - start).Fill(blockValue[k]);
            start = blockEnd[k];
        }

        return result;
    }

    /// <summary>−Σ [T ln p + (1 − T) ln(1 − p)] with p = 1/(1 + exp(z)), z = a·f + b, computed without overflow.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static double PlattLoss(ReadOnlySpan<double> scores, double[] targets, ReadOnlySpan<double> weights, double a, double b)
    {
        var loss = 0.0;
        for (var i = 0; i < scores.Length; i++)
        {
            var z = (a * scores[i]) + b;

            // −ln p = softplus(z), −ln(1 − p) = softplus(−z).
            var softplus = Math.Max(z, 0) + Math.Log(1 + Math.Exp(-Math.Abs(z)));
            loss += SampleWeights.At(weights, i) * ((targets[i] * softplus) + ((1 - targets[i]) * (softplus - z)));
        }

        return loss;
    }

    /// <summary>Checks the input; the classes' sizes, or their total weights when <paramref name="weights"/> is not empty.</summary>
    private static (double Negatives, double Positives) CheckInput(ReadOnlySpan<double> scores, ReadOnlySpan<int> y, ReadOnlySpan<double> weights)
    {
        if (scores.IsEmpty)
        {
            throw new ArgumentException("cannot calibrate on 0 scores", nameof(scores));
        }

        Guard.SameLength(scores.Length, y.Length, nameof(y), "one per score");
        for (var i = 0; i < scores.Length; i++)
        {
            if (!double.IsFinite(scores[i]))
            {
                throw new ArgumentException($"score {i} is {scores[i]}, not finite", nameof(scores));
            }
        }

        var counts = BinaryLabels.Count(y, nameof(y));
        if (weights.IsEmpty)
        {
            return (counts.Negatives, counts.Positives);
        }

        SampleWeights.Check(weights, y.Length, nameof(weights));
        double negatives = 0, positives = 0;
        for (var i = 0; i < y.Length; i++)
        {
            negatives += y[i] == 0 ? weights[i] : 0;
            positives += y[i] == 1 ? weights[i] : 0;
        }

        return (negatives, positives);
    }
}
