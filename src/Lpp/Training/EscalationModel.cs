using System.Collections.Immutable;

namespace Lpp;

/// <summary>
/// A trained escalation model: which LPP features it reads, how it imputes and standardises them, the learned model
/// that turns them into P(the LLM is right) (a calibrated ridge ensemble or a logistic regression), the threshold τ,
/// the single-signal baselines with their own thresholds, and the policy it deploys (<see cref="Policy"/>: the learned
/// model at τ, or a simple policy when the learned one was not reliably cheaper). Immutable and thread-safe; written
/// to and read from one versioned, checksummed JSON file by <see cref="EscalationModelFile"/>.
/// </summary>
public sealed class EscalationModel
{
    private readonly int[] _columns;
    private readonly double[] _meanCoefficients;
    private DeploymentPolicy _policy = DeploymentPolicy.LearnedModel;
    private readonly Lazy<TrainingShape> _impliedShape;

    /// <summary>Creates a model whose learned part is a calibrated ridge ensemble (as trained, or as read back from a file).</summary>
    /// <exception cref="ArgumentException">The parts do not fit together (names unknown to the schema, lengths differ, τ not finite).</exception>
    public EscalationModel(
        Recipe recipe,
        IReadOnlyList<string> featureNames,
        int topK,
        MedianImputerModel imputer,
        StandardScalerModel scaler,
        CalibratedRidgeModel ensemble,
        double tau,
        CostModel cost,
        IReadOnlyList<BaselineThreshold> baselines,
        ModelProvenance provenance,
        IReadOnlyDictionary<string, string> options)
        : this(recipe, featureNames, topK, imputer, scaler, ensemble ?? throw new ArgumentNullException(nameof(ensemble)), null, tau, cost, baselines, provenance, options)
    {
    }

    /// <summary>
    /// Creates a model whose learned part is either a calibrated ridge ensemble or a logistic regression (exactly one
    /// of <paramref name="ensemble"/> and <paramref name="logistic"/>).
    /// </summary>
    /// <exception cref="ArgumentException">The parts do not fit together (names unknown to the schema, lengths differ, τ not finite, not exactly one learned model).</exception>
    public EscalationModel(
        Recipe recipe,
        IReadOnlyList<string> featureNames,
        int topK,
        MedianImputerModel imputer,
        StandardScalerModel scaler,
        CalibratedRidgeModel? ensemble,
        LogisticRegressionModel? logistic,
        double tau,
        CostModel cost,
        IReadOnlyList<BaselineThreshold> baselines,
        ModelProvenance provenance,
        IReadOnlyDictionary<string, string> options)
    {
        ArgumentNullException.ThrowIfNull(featureNames);
        ArgumentNullException.ThrowIfNull(imputer);
        ArgumentNullException.ThrowIfNull(scaler);
        ArgumentNullException.ThrowIfNull(cost);
        if ((ensemble is null) == (logistic is null))
        {
            throw new ArgumentException("a model has exactly one learned part: a calibrated ridge ensemble or a logistic regression", nameof(logistic));
        }

        _columns = new int[featureNames.Count];
        for (var i = 0; i < featureNames.Count; i++)
        {
            _columns[i] = FeatureSchema.IndexOf(featureNames[i]);
            if (_columns[i] < 0)
            {
                throw new ArgumentException($"feature '{featureNames[i]}' is not one this version computes", nameof(featureNames));
            }

            if (i > 0 && _columns[i] <= _columns[i - 1])
            {
                throw new ArgumentException($"feature '{featureNames[i]}' is out of schema order", nameof(featureNames));
            }
        }

        var d = featureNames.Count;
        var learned = ensemble?.Features ?? logistic!.Features;
        if (imputer.Medians.Length != d || scaler.Mean.Length != d || learned != d)
        {
            throw new ArgumentException($"the model reads {d} features but its imputer has {imputer.Medians.Length}, its scaler {scaler.Mean.Length} and its {(ensemble is null ? "logistic regression" : "ridge models")} {learned}");
        }

        if (!double.IsFinite(tau))
        {
            throw new ArgumentException($"tau {tau} is not a finite number", nameof(tau));
        }

        Recipe = recipe;
        FeatureNames = [.. featureNames];
        TopK = topK;
        Imputer = imputer;
        Scaler = scaler;
        Ensemble = ensemble;
        LogisticRegression = logistic;
        Tau = tau;
        Cost = cost;
        Baselines = [.. baselines];
        Provenance = provenance;
        Options = new SortedDictionary<string, string>(options.ToDictionary(), StringComparer.Ordinal);
        _impliedShape = new Lazy<TrainingShape>(() => Lpp.TrainingShape.Implied(this));
        _meanCoefficients = new double[d];
        if (logistic is not null)
        {
            logistic.Coefficients.CopyTo(_meanCoefficients);
        }
        else
        {
            foreach (var member in ensemble!.Members)
            {
                for (var j = 0; j < d; j++)
                {
                    _meanCoefficients[j] += member.Ridge.Coefficients[j] / ensemble.Members.Length;
                }
            }
        }
    }

    /// <summary>The recipe it was trained with.</summary>
    public Recipe Recipe { get; }

    /// <summary>The features it reads, in <see cref="FeatureSchema"/> order.</summary>
    public ImmutableArray<string> FeatureNames { get; }

    /// <summary>The top-k of the feature extraction it was trained on.</summary>
    public int TopK { get; }

    /// <summary>Median imputation of missing features (training medians).</summary>
    public MedianImputerModel Imputer { get; }

    /// <summary>Standardisation (training means and scales).</summary>
    public StandardScalerModel Scaler { get; }

    /// <summary>The calibrated ridge ensemble: P(correct) = mean of the members' calibrated probabilities; null when the learned model is a <see cref="LogisticRegression"/>.</summary>
    public CalibratedRidgeModel? Ensemble { get; }

    /// <summary>The logistic regression giving P(correct) directly; null when the learned model is the <see cref="Ensemble"/>.</summary>
    public LogisticRegressionModel? LogisticRegression { get; }

    /// <summary>The learned model trusts iff score ≥ τ (the deployed threshold when <see cref="Policy"/> is the learned model).</summary>
    public double Tau { get; }

    /// <summary>
    /// What the model deploys: the learned model at τ, or the simple policy (always trust, escalate everything, one
    /// signal at its threshold) that the learned one was not reliably cheaper than. Default: the learned model.
    /// </summary>
    /// <exception cref="ArgumentException">A signal policy without its signal, or reading a feature this version does not compute.</exception>
    public DeploymentPolicy Policy
    {
        get => _policy;
        init
        {
            ArgumentNullException.ThrowIfNull(value);
            if (value.Kind == PolicyKind.Signal && (value.Signal is null || FeatureSchema.IndexOf(value.Signal.Feature) < 0 || !double.IsFinite(value.Signal.Tau)))
            {
                throw new ArgumentException("a signal policy needs a known signal feature and a finite threshold", nameof(Policy));
            }

            _policy = value;
        }
    }

    /// <summary>The stated bound on the error rate among trusted items, when trained with one (<c>--max-trusted-error</c>); null otherwise.</summary>
    public TrustGuarantee? Guarantee { get; init; }

    /// <summary>The cost model τ minimises.</summary>
    public CostModel Cost { get; }

    /// <summary>Single-signal baselines with their thresholds, for fair comparison.</summary>
    public ImmutableArray<BaselineThreshold> Baselines { get; }

    /// <summary>Inputs, counts and the selection that made the model.</summary>
    public ModelProvenance Provenance { get; }

    /// <summary>Recipe options as text (seed, folds, excluded families...).</summary>
    public IReadOnlyDictionary<string, string> Options { get; }

    /// <summary>The learned model's coefficients per feature (standardised scale): the ridge's averaged over the ensemble members, or the logistic regression's.</summary>
    public ReadOnlySpan<double> MeanCoefficients => _meanCoefficients;

    /// <summary>What the training records looked like, or null for a model file written before lpp recorded it.</summary>
    public TrainingShape? TrainingShape { get; private init; }

    /// <summary>The shape records are checked against: the stored one, or for an older model file the one its features imply.</summary>
    public TrainingShape ExpectedShape => TrainingShape ?? _impliedShape.Value;

    /// <summary>This model with <paramref name="shape"/> recorded as its training data's shape.</summary>
    public EscalationModel WithTrainingShape(TrainingShape shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        return Copy(shape, Profile, SeverityCosts);
    }

    /// <summary>
    /// This model with its optional sections replaced: the one place that lists them all, so attaching one section
    /// never drops another.
    /// </summary>
    private EscalationModel Copy(TrainingShape? shape, TrainingProfile? profile, SeverityCosts? costs) =>
        new(Recipe, FeatureNames, TopK, Imputer, Scaler, Ensemble, LogisticRegression, Tau, Cost, Baselines, Provenance, Options)
        {
            Policy = Policy,
            Guarantee = Guarantee,
            TrainingShape = shape,
            Profile = profile,
            SeverityCosts = costs,
            ContributionGroups = ContributionGroups,
        };

    /// <summary>A feature extractor configured as at training time.</summary>
    public LppFeatureExtractor CreateExtractor() => new(new LppFeatureOptions { TopK = TopK });

    /// <summary>
    /// P(the LLM is right) from all <see cref="FeatureSchema"/> features of a record (NaN = missing). When
    /// <paramref name="standardised"/> is given it receives the imputed, standardised values of the model's features.
    /// </summary>
    public double Score(ReadOnlySpan<double> allFeatures, Span<double> standardised = default)
    {
        Span<double> z = standardised.Length >= _columns.Length ? standardised[.._columns.Length] : stackalloc double[_columns.Length];
        for (var i = 0; i < _columns.Length; i++)
        {
            z[i] = allFeatures[_columns[i]];
        }

        Imputer.Transform(z, z);
        Scaler.Transform(z, z);
        return Ensemble is not null ? Ensemble.Probability(z) : LogisticRegression!.Probability(z);
    }

    /// <summary>Whether the deployed <see cref="Policy"/> trusts a record with these features and learned score (abstentions and unparseable answers aside: the router escalates those).</summary>
    public bool Trusts(ReadOnlySpan<double> allFeatures, double score) => _policy.Trusts(allFeatures, score, Tau);


    /// <summary>
    /// What monitoring compares production against (training distributions, out-of-fold escalation ratio and trusted
    /// error rate); null for models written before profiles existed.
    /// </summary>
    public TrainingProfile? Profile { get; private init; }

    /// <summary>This model with <paramref name="profile"/> attached (the profile is part of the file and its checksum).</summary>
    /// <exception cref="ArgumentException">The profile describes other features than the model reads.</exception>
    public EscalationModel WithProfile(TrainingProfile? profile)
    {
        if (profile is not null && !profile.Features.Select(f => f.Name).SequenceEqual(FeatureNames, StringComparer.Ordinal))
        {
            throw new ArgumentException("the training profile describes other features than the model reads", nameof(profile));
        }

        return Copy(TrainingShape, profile, SeverityCosts);
    }

    /// <summary>
    /// Costs by severity the model routes with unless told otherwise (each item at the threshold of its own costs);
    /// null when one cost model applies to every item.
    /// </summary>
    public SeverityCosts? SeverityCosts { get; private init; }

    /// <summary>This model with <paramref name="costs"/> as its costs by severity (part of the file and its checksum).</summary>
    public EscalationModel WithSeverityCosts(SeverityCosts? costs) =>
        Copy(TrainingShape, Profile, costs);

    /// <summary>
    /// The groups of collinear features whose contributions are reported as one (found on the training data); null for
    /// a model file written before lpp stored them, whose contributions are reported per feature.
    /// </summary>
    public ContributionGroups? ContributionGroups { get; private set; }

    /// <summary>This model with <paramref name="groups"/> as its contribution groups (part of the file and its checksum).</summary>
    /// <exception cref="ArgumentException">A group names a feature the model does not read.</exception>
    public EscalationModel WithContributionGroups(ContributionGroups? groups)
    {
        foreach (var member in groups?.Groups.SelectMany(g => g.Members) ?? [])
        {
            if (!FeatureNames.Contains(member))
            {
                throw new ArgumentException($"contribution group member '{member}' is not a feature the model reads", nameof(groups));
            }
        }

        var copy = Copy(TrainingShape, Profile, SeverityCosts);
        copy.ContributionGroups = groups;
        return copy;
    }

    /// <summary>The contribution of feature j to the ridge decision: mean coefficient × standardised value.</summary>
    public double Contribution(int j, double standardisedValue) => _meanCoefficients[j] * standardisedValue;
}
