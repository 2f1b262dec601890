namespace Lpp;

/// <summary>What one feature tells about correctness, and how much of it the other features already say.</summary>
/// <param name="Name">The feature.</param>
/// <param name="Family">Its family.</param>
/// <param name="Present">Labelled records on which the feature is present (the correlation is computed on them).</param>
/// <param name="Correlation">Pearson (point-biserial) correlation with correctness (1 = right) on the records where it is present; NaN for a constant feature.</param>
/// <param name="PValue">Two-sided p-value of that correlation against 0 (Student t with Present − 2 degrees of freedom); NaN when undefined.</param>
/// <param name="Vif">Variance inflation factor 1 / (1 − R²) of the feature regressed on all the others, on the median-imputed features the model sees (1 = independent; above 10 = mostly said by others).</param>
/// <param name="Group">Index into <see cref="FeatureAnalysis.Groups"/> of its group of near-duplicate features.</param>
public sealed record FeatureStatistics(string Name, FeatureFamily Family, int Present, double Correlation, double PValue, double Vif, int Group);
