namespace Lpp;

/// <summary>Options of <see cref="EscalationTrainer"/>.</summary>
public sealed record EscalationTrainerOptions
{
    /// <summary>The training recipe.</summary>
    /// <value>Default <see cref="Recipe.Default"/>.</value>
    public Recipe Recipe { get; init; } = TrainingDefaults.Recipe;

    /// <summary>The cost model used to choose the threshold (and, in the paper recipe, the class weights).</summary>
    /// <value>Default paper form, c_error = 1, c_review = 0.64.</value>
    public CostModel Cost { get; init; } = CostModel.Default;

    /// <summary>Seed of every split, fold and shuffle.</summary>
    /// <value>Default 42.</value>
    public int Seed { get; init; } = TrainingDefaults.Seed;

    /// <summary>Folds of the cross-validation that selects hyperparameters (and, in the default recipe, the out-of-fold scores the baselines' thresholds are chosen on).</summary>
    /// <value>Default 3; at least 2.</value>
    public int Folds { get; init; } = TrainingDefaults.Folds;

    /// <summary>Feature families left out of the model (ablations).</summary>
    /// <value>Default none.</value>
    public IReadOnlySet<FeatureFamily> ExcludedFamilies { get; init; } = new HashSet<FeatureFamily>();

    /// <summary>Feature extraction options (top-k).</summary>
    /// <value>Default k = 5.</value>
    public LppFeatureOptions Features { get; init; } = new();

    /// <summary>Throws with a message naming the option and its allowed range when an option is out of range.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public void Validate()
    {
        ArgumentNullException.ThrowIfNull(Cost);
        Cost.Validate();
        Features.Validate();
        if (Folds < 2)
        {
            throw new ArgumentOutOfRangeException(nameof(Folds), Folds, "folds must be at least 2");
        }

        if (ExcludedFamilies.Contains(FeatureFamily.Availability))
        {
            throw new ArgumentOutOfRangeException(nameof(ExcludedFamilies), "Availability", "the availability indicators cannot be excluded (families A-G can)");
        }
    }
}
