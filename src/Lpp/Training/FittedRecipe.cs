namespace Lpp;

/// <summary>
/// What a recipe produces: the fitted pieces (a calibrated ridge ensemble or a logistic regression), the policy it
/// deploys, and the scores τ and the baselines are chosen on.
/// </summary>
internal sealed record FittedRecipe(
    int[] Columns,
    MedianImputerModel Imputer,
    StandardScalerModel Scaler,
    CalibratedRidgeModel? Ensemble,
    double Tau,
    string Configuration,
    string CvMetric,
    double CvScore,
    IReadOnlyList<CvResult> TopCv,
    int ConfigurationsEvaluated,
    int DistinctConfigurations,
    int[] ThresholdRows,
    double[] ThresholdScores,
    string ThresholdData,
    ResamplingCounts? Resampling = null)
{
    /// <summary>The logistic regression, when it is the learned model (then <see cref="Ensemble"/> is null).</summary>
    public LogisticRegressionModel? Logistic { get; init; }

    /// <summary>What is deployed (the learned model unless the recipe compared it with the simple policies).</summary>
    public DeploymentPolicy Policy { get; init; } = DeploymentPolicy.LearnedModel;
}
