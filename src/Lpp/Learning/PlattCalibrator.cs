namespace Lpp;

/// <summary>
/// Platt scaling p = 1 / (1 + exp(a·f + b)) of a decision score f (fitted by <see cref="Calibration.Platt(ReadOnlySpan{double}, ReadOnlySpan{int})"/>);
/// a &lt; 0 when larger scores mean class 1. Immutable.
/// </summary>
public sealed class PlattCalibrator : IScoreCalibrator
{
    /// <summary>Creates a calibrator from its two parameters.</summary>
    /// <exception cref="ArgumentException">A parameter is not finite.</exception>
    public PlattCalibrator(double a, double b)
    {
        if (!double.IsFinite(a))
        {
            throw new ArgumentException($"Platt slope a is {a}, not finite", nameof(a));
        }

        if (!double.IsFinite(b))
        {
            throw new ArgumentException($"Platt offset b is {b}, not finite", nameof(b));
        }

        A = a;
        B = b;
    }

    /// <summary>The slope a of p = 1 / (1 + exp(a·f + b)).</summary>
    public double A { get; }

    /// <summary>The offset b of p = 1 / (1 + exp(a·f + b)).</summary>
    public double B { get; }

    /// <inheritdoc/>
    public CalibrationMethod Method => CalibrationMethod.Sigmoid;

    /// <inheritdoc/>
    public double Probability(double score) => 1.0 / (1.0 + Math.Exp((A * score) + B));
}
