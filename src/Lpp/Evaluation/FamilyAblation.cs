namespace Lpp;

/// <summary>The meta-model retrained without one feature family, measured on the same test records as the full model.</summary>
/// <param name="Family">The family left out.</param>
/// <param name="InModel">False when the full model read no feature of the family (then nothing was retrained and the changes are 0).</param>
/// <param name="Cost">Test cost without the family (lower is better).</param>
/// <param name="Auc">Test ROC AUC without the family.</param>
/// <param name="CostChange">Cost without the family minus the full model's (positive = the family was saving cost).</param>
/// <param name="AucChange">AUC without the family minus the full model's (negative = the family was helping).</param>
public sealed record FamilyAblation(FeatureFamily Family, bool InModel, double Cost, double Auc, double CostChange, double AucChange);
