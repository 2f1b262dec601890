namespace Lpp;

/// <summary>A fitted map from a decision score to P(class 1); implementations are immutable and thread-safe.</summary>
public interface IScoreCalibrator
{
    /// <summary>The method that fitted this calibrator.</summary>
    CalibrationMethod Method { get; }

    /// <summary>P(class 1 | score), in [0, 1]; non-decreasing in the score. NaN maps to NaN.</summary>
    double Probability(double score);
}
