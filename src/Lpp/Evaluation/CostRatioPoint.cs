namespace Lpp;

/// <summary>The meta-model's test cost when reviews cost <paramref name="Ratio"/> × c_error (the paper's Table 7).</summary>
/// <param name="Ratio">r = c_review / c_error.</param>
/// <param name="AlwaysTrust">Cost of trusting everything at this ratio.</param>
/// <param name="ChosenTau">The model's τ, chosen at its own cost ratio.</param>
/// <param name="CostAtChosenTau">Cost at the model's τ.</param>
/// <param name="ReoptimisedTau">The closed-form optimum for a calibrated score at this ratio (1 − r/2 paper form, 1 − r absolute): chosen without looking at any data.</param>
/// <param name="CostAtReoptimisedTau">Cost at the re-optimised τ.</param>
/// <param name="HindsightTau">The exact best τ on the test records themselves (a lower bound no deployed threshold can promise).</param>
/// <param name="CostAtHindsightTau">Cost at the hindsight τ.</param>
public sealed record CostRatioPoint(double Ratio, double AlwaysTrust, double ChosenTau, double CostAtChosenTau, double ReoptimisedTau, double CostAtReoptimisedTau, double HindsightTau, double CostAtHindsightTau);
