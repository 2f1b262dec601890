namespace Lpp;

/// <summary>Options of <see cref="ExperimentRunner"/>: the paper's protocol of split, train, evaluate, ablate and vary the cost ratio.</summary>
public sealed record ExperimentOptions
{
    /// <summary>
    /// The options of <c>lpp compare</c>: the same pipeline, with the paper's recipe trained beside the default one on
    /// 20 splits, no ablations.
    /// </summary>
    public static ExperimentOptions Comparison { get; } = new() { Repeats = ExperimentDefaults.ComparisonRepeats, CompareRecipes = [Recipe.Paper], Ablations = false };

    /// <summary>The training recipe.</summary>
    /// <value>Default <see cref="Recipe.Default"/>.</value>
    public Recipe Recipe { get; init; } = TrainingDefaults.Recipe;

    /// <summary>The cost model of training and evaluation.</summary>
    /// <value>Default paper form, c_error = 1, c_review = 0.64.</value>
    public CostModel Cost { get; init; } = CostModel.Default;

    /// <summary>Share of each dataset's labelled records held out for testing, stratified by correctness.</summary>
    /// <value>Default 0.25; strictly between 0 and 1. Ignored when <see cref="TestErrors"/> is set.</value>
    public double TestFraction { get; init; } = ExperimentDefaults.TestFraction;

    /// <summary>When set, the test set holds exactly this many LLM errors and correct answers in the dataset's natural ratio (the paper fixes 45 and 150).</summary>
    /// <value>Default null (use <see cref="TestFraction"/>); at least 1, and fewer than each dataset's errors.</value>
    public int? TestErrors { get; init; }

    /// <summary>Seeded splits per dataset (seeds Seed, Seed + 1, ...).</summary>
    /// <value>Default 1; at least 1.</value>
    public int Repeats { get; init; } = ExperimentDefaults.Repeats;

    /// <summary>Seed of the first split, of training and of the bootstrap.</summary>
    /// <value>Default 42.</value>
    public int Seed { get; init; } = ExperimentDefaults.Seed;

    /// <summary>Review-to-error cost ratios of the sensitivity table.</summary>
    /// <value>Default 0.4, 0.64, 0.9; each positive.</value>
    public IReadOnlyList<double> CostRatios { get; init; } = ExperimentDefaults.CostRatios;

    /// <summary>Bootstrap resamples of the first split's detailed evaluation.</summary>
    /// <value>Default 1000; at least 1.</value>
    public int Bootstrap { get; init; } = ExperimentDefaults.Bootstrap;

    /// <summary>Whether to run the feature-family ablations (7 extra trainings per split).</summary>
    /// <value>Default true.</value>
    public bool Ablations { get; init; } = true;

    /// <summary>Other recipes trained on every split beside <see cref="Recipe"/> and measured as methods named after them (<c>lpp compare</c> adds the paper's).</summary>
    /// <value>Default none; must not repeat <see cref="Recipe"/>.</value>
    public IReadOnlyList<Recipe> CompareRecipes { get; init; } = [];

    /// <summary>
    /// Error rates among trusted items (A) to also train with a guarantee for on every split
    /// (<see cref="EscalationTrainerOptions.MaxTrustedError"/>), each measured on the test part; none by default.
    /// </summary>
    /// <value>Empty.</value>
    public IReadOnlyList<double> MaxTrustedErrors { get; init; } = [];

    /// <summary>Confidence of those guarantees' Clopper-Pearson bound.</summary>
    /// <value><see cref="TrainingDefaults.Confidence"/> (0.9).</value>
    public double Confidence { get; init; } = TrainingDefaults.Confidence;

    /// <summary>Throws with a message naming the option and its allowed range when an option is out of range.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public void Validate()
    {
        ArgumentNullException.ThrowIfNull(Cost);
        Cost.Validate();
        if (!(TestFraction > 0 && TestFraction < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(TestFraction), TestFraction, $"test-fraction must be strictly between 0 and 1 (got {TestFraction.ToString(System.Globalization.CultureInfo.InvariantCulture)})");
        }

        if (TestErrors is < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(TestErrors), TestErrors, $"test-errors must be at least 1 (got {TestErrors})");
        }

        if (Repeats < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(Repeats), Repeats, $"repeats must be at least 1 (got {Repeats})");
        }

        if (Bootstrap < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(Bootstrap), Bootstrap, $"bootstrap must be at least 1 (got {Bootstrap})");
        }

        ArgumentNullException.ThrowIfNull(CompareRecipes);
        if (CompareRecipes.Contains(Recipe) || CompareRecipes.Distinct().Count() != CompareRecipes.Count)
        {
            throw new ArgumentOutOfRangeException(nameof(CompareRecipes), string.Join(",", CompareRecipes.Select(r => r.Name())), $"compare-recipes must not repeat a recipe or the experiment's own ({Recipe.Name()})");
        }

        ArgumentNullException.ThrowIfNull(MaxTrustedErrors);
        if (MaxTrustedErrors.Any(a => !(a > 0 && a < 1)) || MaxTrustedErrors.Distinct().Count() != MaxTrustedErrors.Count)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxTrustedErrors), string.Join(",", MaxTrustedErrors), "max-trusted-error must be distinct error rates strictly between 0 and 1");
        }

        if (!(Confidence > 0.5 && Confidence < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(Confidence), Confidence, $"confidence must be strictly between 0.5 and 1 (got {Confidence.ToString(System.Globalization.CultureInfo.InvariantCulture)})");
        }

        ArgumentNullException.ThrowIfNull(CostRatios);
        if (CostRatios.Count == 0 || CostRatios.Any(r => !(r > 0) || !double.IsFinite(r)))
        {
            throw new ArgumentOutOfRangeException(nameof(CostRatios), string.Join(",", CostRatios), "cost-ratios must be one or more positive numbers");
        }
    }
}
