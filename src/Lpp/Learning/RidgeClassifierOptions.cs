namespace Lpp;

/// <summary>Options of <see cref="RidgeClassifierTrainer"/>.</summary>
public sealed record RidgeClassifierOptions
{
    /// <summary>L2 penalty α on the coefficients (not on the intercept); larger shrinks more.</summary>
    /// <value>Default 1.0 (scikit-learn's); finite and greater than 0.</value>
    public double Alpha { get; init; } = LearningDefaults.Alpha;

    /// <summary>Per-class sample weights.</summary>
    /// <value>Default <see cref="ClassWeight.None"/> (every sample weighs 1); never null.</value>
    public ClassWeight ClassWeight { get; init; } = LearningDefaults.ClassWeight;

    /// <summary>Throws with a message naming the option and its allowed range when an option is out of range.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    /// <exception cref="ArgumentNullException"><see cref="ClassWeight"/> is null.</exception>
    public void Validate()
    {
        if (!(Alpha > 0) || !double.IsFinite(Alpha))
        {
            throw new ArgumentOutOfRangeException(nameof(Alpha), Alpha, "alpha must be finite and greater than 0");
        }

        if (ClassWeight is null)
        {
            throw new ArgumentNullException(nameof(ClassWeight), "class weight must not be null; use ClassWeight.None");
        }
    }
}
