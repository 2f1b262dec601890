namespace Lpp;

/// <summary>Where a model came from and how it was chosen.</summary>
public sealed record ModelProvenance
{
    /// <summary>The training inputs with their SHA-256.</summary>
    public IReadOnlyList<InputFileInfo> Inputs { get; init; } = [];

    /// <summary>Labelled records used.</summary>
    public int Records { get; init; }

    /// <summary>LLM errors among them.</summary>
    public int Errors { get; init; }

    /// <summary>Records left out for lack of truth.</summary>
    public int WithoutTruth { get; init; }

    /// <summary>The configuration chosen.</summary>
    public string Configuration { get; init; } = string.Empty;

    /// <summary>The selection metric, e.g. "f1_error" (higher is better) or "log_loss" (lower is better).</summary>
    public string CvMetric { get; init; } = string.Empty;

    /// <summary>The chosen configuration's cross-validated score.</summary>
    public double CvScore { get; init; }

    /// <summary>Configurations evaluated (as the full grid counts them).</summary>
    public int ConfigurationsEvaluated { get; init; }

    /// <summary>Distinct fits actually computed (settings that cannot change a closed-form solution share one).</summary>
    public int DistinctConfigurations { get; init; }

    /// <summary>The best configurations, best first.</summary>
    public IReadOnlyList<CvResult> TopCv { get; init; } = [];

    /// <summary>What the threshold and baselines were chosen on, e.g. "validation split (20%)" or "out-of-fold predictions".</summary>
    public string ThresholdData { get; init; } = string.Empty;

    /// <summary>Cost on that data of: the meta-model at τ, always-trust, and each baseline at its τ (name → cost).</summary>
    public IReadOnlyDictionary<string, double> ValidationCosts { get; init; } = new Dictionary<string, double>();

    /// <summary>What resampling did to the training data (the paper recipe), or null when the recipe does not resample.</summary>
    public ResamplingCounts? Resampling { get; init; }
}
