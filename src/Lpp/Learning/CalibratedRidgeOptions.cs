namespace Lpp;

/// <summary>Options of <see cref="CalibratedRidgeTrainer"/>.</summary>
public sealed record CalibratedRidgeOptions
{
    /// <summary>Options of the ridge classifier fitted on each fold.</summary>
    /// <value>Default: the <see cref="RidgeClassifierOptions"/> defaults (α = 1, no class weights); never null.</value>
    public RidgeClassifierOptions Ridge { get; init; } = new();

    /// <summary>How each fold's held-out decision scores are calibrated.</summary>
    /// <value>Default <see cref="CalibrationMethod.Sigmoid"/> (scikit-learn's).</value>
    public CalibrationMethod Method { get; init; } = LearningDefaults.Method;

    /// <summary>Number of stratified folds k when the trainer makes its own folds.</summary>
    /// <value>Default 3 (the paper's <c>cv=3</c>); at least 2.</value>
    public int Folds { get; init; } = LearningDefaults.CalibrationFolds;

    /// <summary>Seed of the stratified folds the trainer makes itself.</summary>
    /// <value>Default 42 (the paper's <c>random_state</c>); any value.</value>
    public int Seed { get; init; } = LearningDefaults.Seed;

    /// <summary>Throws with a message naming the option and its allowed range when an option is out of range.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    /// <exception cref="ArgumentNullException"><see cref="Ridge"/> is null.</exception>
    public void Validate()
    {
        if (Ridge is null)
        {
            throw new ArgumentNullException(nameof(Ridge), "ridge options must not be null");
        }

        Ridge.Validate();
        if (!Enum.IsDefined(Method))
        {
            throw new ArgumentOutOfRangeException(nameof(Method), Method, "calibration method must be Sigmoid or Isotonic");
        }

        if (Folds < 2)
        {
            throw new ArgumentOutOfRangeException(nameof(Folds), Folds, "calibration folds must be at least 2");
        }
    }
}
