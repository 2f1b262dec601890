namespace Lpp;

/// <summary>How a decision score is mapped to a probability.</summary>
public enum CalibrationMethod
{
    /// <summary>Platt scaling, p = 1 / (1 + exp(a·f + b)): two parameters, smooth and monotone (<see cref="Calibration.Platt(ReadOnlySpan{double}, ReadOnlySpan{int})"/>).</summary>
    Sigmoid,

    /// <summary>Isotonic regression: a non-decreasing step-then-linear map, more flexible, needs more data (<see cref="Calibration.Isotonic(ReadOnlySpan{double}, ReadOnlySpan{int})"/>).</summary>
    Isotonic,
}
