namespace Lpp;

/// <summary>One fold's model of a <see cref="CalibratedRidgeModel"/>: a ridge fitted on the fold's training part and the calibrator fitted on its held-out decisions.</summary>
public sealed class CalibratedRidgeMember
{
    /// <summary>Pairs a ridge classifier with the calibrator of its decision scores.</summary>
    public CalibratedRidgeMember(RidgeClassifierModel ridge, IScoreCalibrator calibrator)
    {
        ArgumentNullException.ThrowIfNull(ridge);
        ArgumentNullException.ThrowIfNull(calibrator);
        Ridge = ridge;
        Calibrator = calibrator;
    }

    /// <summary>The fold's ridge classifier.</summary>
    public RidgeClassifierModel Ridge { get; }

    /// <summary>The calibrator of <see cref="Ridge"/>'s decision scores.</summary>
    public IScoreCalibrator Calibrator { get; }

    /// <summary>P(class 1) = calibrator(ridge decision).</summary>
    public double Probability(ReadOnlySpan<double> features) => Calibrator.Probability(Ridge.Decision(features));
}
