using System.Globalization;

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

    /// <summary>
    /// A: when set, the largest error rate among trusted items to guarantee (Learn-then-Test on a held-out
    /// calibration part, <see cref="CalibrationFraction"/>); the deployed threshold is then at least the lowest one
    /// whose Clopper-Pearson upper bound is at most A.
    /// </summary>
    /// <value>Default null (no guarantee); strictly between 0 and 1.</value>
    public double? MaxTrustedError { get; init; }

    /// <summary>Confidence of the guarantee's upper bound.</summary>
    /// <value>Default 0.9; strictly between 0.5 and 1.</value>
    public double Confidence { get; init; } = TrainingDefaults.Confidence;

    /// <summary>Share of the labelled records held out (stratified) to calibrate the guarantee's threshold.</summary>
    /// <value>Default 0.3; strictly between 0 and 1.</value>
    public double CalibrationFraction { get; init; } = TrainingDefaults.CalibrationFraction;

    /// <summary>When no threshold meets the guarantee: false deploys escalate-everything, true keeps the cost-optimal policy (and says the guarantee does not hold).</summary>
    /// <value>Default false.</value>
    public bool AllowInfeasible { get; init; }

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

        if (MaxTrustedError is { } a && !(a > 0 && a < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(MaxTrustedError), a, string.Create(CultureInfo.InvariantCulture, $"max-trusted-error must be strictly between 0 and 1 (got {a})"));
        }

        if (!(Confidence > 0.5 && Confidence < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(Confidence), Confidence, string.Create(CultureInfo.InvariantCulture, $"confidence must be strictly between 0.5 and 1 (got {Confidence})"));
        }

        if (!(CalibrationFraction > 0 && CalibrationFraction < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(CalibrationFraction), CalibrationFraction, string.Create(CultureInfo.InvariantCulture, $"calibration fraction must be strictly between 0 and 1 (got {CalibrationFraction})"));
        }

        if (ExcludedFamilies.Contains(FeatureFamily.Availability))
        {
            throw new ArgumentOutOfRangeException(nameof(ExcludedFamilies), "Availability", "the availability indicators cannot be excluded (families A-G can)");
        }
    }
}
