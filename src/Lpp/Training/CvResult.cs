namespace Lpp;

/// <summary>One evaluated configuration of a grid: its description and mean cross-validated score.</summary>
/// <param name="Configuration">The settings, e.g. "alpha=10 weight=balanced calibration=sigmoid".</param>
/// <param name="Score">Mean score over the folds.</param>
public sealed record CvResult(string Configuration, double Score);
