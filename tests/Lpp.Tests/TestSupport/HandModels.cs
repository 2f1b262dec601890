using System.Collections.Immutable;

namespace Lpp.Tests;

/// <summary>
/// Escalation models written down by hand (no training, no ../shared), so routing tests know every score in closed form.
/// </summary>
public static class HandModels
{
    /// <summary>
    /// Reads only <c>verbalized_confidence</c> v (median 0.5, mean 0, scale 1), one ridge member with coefficient 1 and
    /// intercept −0.5, Platt a = −1, b = 0: score = 1 / (1 + exp(−(v − 0.5))). So v = 0.5 scores exactly 0.5,
    /// v = 0.95 scores 1 / (1 + e^−0.45) ≈ 0.6106 and v = 0.45 scores 1 / (1 + e^0.05) ≈ 0.4875.
    /// </summary>
    public static EscalationModel Verbalized(double tau) => new(
        Recipe.Default,
        ["verbalized_confidence"],
        topK: 5,
        new MedianImputerModel([0.5]),
        new StandardScalerModel([0.0], [1.0]),
        new CalibratedRidgeModel([new CalibratedRidgeMember(new RidgeClassifierModel([1.0], -0.5), new PlattCalibrator(-1, 0))]),
        tau,
        CostModel.Default,
        [],
        new ModelProvenance(),
        ImmutableDictionary<string, string>.Empty);

    /// <summary>The score <see cref="Verbalized"/> gives a verbalized confidence v (0-1), computed here from its formula.</summary>
    public static double VerbalizedScore(double v) => 1 / (1 + Math.Exp(-(v - 0.5)));

    /// <summary>
    /// Reads <paramref name="names"/> (in schema order) with the given imputation medians, mean 0 and scale 1 (so a
    /// present value is its own standardised value), one ridge member with <paramref name="coefficients"/> and
    /// intercept 0, Platt a = −1, b = 0: score = 1 / (1 + exp(−Σ c·x)), contribution of feature j = c_j·x_j.
    /// Its features are extracted with <paramref name="topK"/> alternatives at the decision token.
    /// </summary>
    public static EscalationModel Linear(string[] names, double[] coefficients, double[] medians, double tau, int topK = 5) => new(
        Recipe.Default,
        names,
        topK,
        new MedianImputerModel([.. medians]),
        new StandardScalerModel([.. new double[names.Length]], [.. Enumerable.Repeat(1.0, names.Length)]),
        new CalibratedRidgeModel([new CalibratedRidgeMember(new RidgeClassifierModel([.. coefficients], 0), new PlattCalibrator(-1, 0))]),
        tau,
        CostModel.Default,
        [],
        new ModelProvenance(),
        ImmutableDictionary<string, string>.Empty);
}
