using System.Collections.Immutable;

namespace Lpp;

/// <summary>
/// Isotonic calibration (fitted by <see cref="Calibration.Isotonic(ReadOnlySpan{double}, ReadOnlySpan{int})"/>): the piecewise-linear interpolation of the
/// points (<see cref="Thresholds"/>, <see cref="Values"/>), with scores outside the fitted range clipped to it, as
/// scikit-learn's <c>IsotonicRegression(out_of_bounds="clip")</c> and scipy's <c>interp1d</c>. Immutable.
/// </summary>
public sealed class IsotonicCalibrator : IScoreCalibrator
{
    private readonly double[] _x;
    private readonly double[] _y;

    /// <summary>Creates a calibrator from its interpolation points.</summary>
    /// <exception cref="ArgumentException">
    /// No points, lengths differ, thresholds that are not finite and strictly increasing, or values that are not in
    /// [0, 1] and non-decreasing.
    /// </exception>
    public IsotonicCalibrator(ImmutableArray<double> thresholds, ImmutableArray<double> values)
    {
        if (thresholds.IsDefaultOrEmpty || values.IsDefault || thresholds.Length != values.Length)
        {
            throw new ArgumentException("thresholds and values must be non-empty and of the same length", nameof(values));
        }

        for (var i = 0; i < thresholds.Length; i++)
        {
            if (!double.IsFinite(thresholds[i]) || (i > 0 && !(thresholds[i] > thresholds[i - 1])))
            {
                throw new ArgumentException($"threshold {i} is {thresholds[i]}; thresholds must be finite and strictly increasing", nameof(thresholds));
            }

            if (!(values[i] >= 0 && values[i] <= 1) || (i > 0 && values[i] < values[i - 1]))
            {
                throw new ArgumentException($"value {i} is {values[i]}; values must be in [0, 1] and non-decreasing", nameof(values));
            }
        }

        Thresholds = thresholds;
        Values = values;
        _x = [.. thresholds];
        _y = [.. values];
    }

    /// <summary>The scores of the interpolation points, strictly increasing.</summary>
    public ImmutableArray<double> Thresholds { get; }

    /// <summary>The probabilities at <see cref="Thresholds"/>, non-decreasing.</summary>
    public ImmutableArray<double> Values { get; }

    /// <inheritdoc/>
    public CalibrationMethod Method => CalibrationMethod.Isotonic;

    /// <inheritdoc/>
    public double Probability(double score)
    {
        if (double.IsNaN(score))
        {
            return double.NaN;
        }

        var x = _x;
        var n = x.Length;
        if (n == 1)
        {
            return _y[0];
        }

        score = Math.Clamp(score, x[0], x[n - 1]);

        // scipy interp1d: hi = searchsorted(x, score, side="left") clipped to [1, n-1], lo = hi - 1.
        var hi = Array.BinarySearch(x, score);
        hi = hi >= 0 ? hi : ~hi;
        hi = Math.Clamp(hi, 1, n - 1);
        var lo = hi - 1;
        var slope = (_y[hi] - _y[lo]) / (x[hi] - x[lo]);
        return (slope * (score - x[lo])) + _y[lo];
    }
}
