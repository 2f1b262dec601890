namespace Lpp;

/// <summary>Options of <see cref="LogisticRegressionTrainer"/>.</summary>
public sealed record LogisticRegressionOptions
{
    /// <summary>
    /// Inverse L2 strength C of scikit-learn's <c>LogisticRegression</c>: the objective is
    /// Σ_i w_i·logloss_i + ‖coef‖²/(2C), the intercept unpenalised; smaller C shrinks more.
    /// </summary>
    /// <value>Default 1.0 (scikit-learn's); finite and greater than 0.</value>
    public double C { get; init; } = LearningDefaults.InverseRegularisation;

    /// <summary>Per-class sample weights.</summary>
    /// <value>Default <see cref="ClassWeight.None"/> (every sample weighs 1); never null.</value>
    public ClassWeight ClassWeight { get; init; } = LearningDefaults.ClassWeight;

    /// <summary>Throws with a message naming the option and its allowed range when an option is out of range.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    /// <exception cref="ArgumentNullException"><see cref="ClassWeight"/> is null.</exception>
    public void Validate()
    {
        if (!(C > 0) || !double.IsFinite(C))
        {
            throw new ArgumentOutOfRangeException(nameof(C), C, "C must be finite and greater than 0");
        }

        if (ClassWeight is null)
        {
            throw new ArgumentNullException(nameof(ClassWeight), "class weight must not be null; use ClassWeight.None");
        }
    }
}
