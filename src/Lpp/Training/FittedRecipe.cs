namespace Lpp;

/// <summary>What a recipe produces: the fitted pieces, and the scores τ and the baselines are chosen on.</summary>
internal sealed record FittedRecipe(
    int[] Columns,
    MedianImputerModel Imputer,
    StandardScalerModel Scaler,
    CalibratedRidgeModel Ensemble,
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
    ResamplingCounts? Resampling = null);
