namespace Lpp;

/// <summary>One point of a ROC curve of a confidence score against correctness (class "right" is positive).</summary>
/// <param name="FalsePositiveRate">Share of wrong answers at or above the threshold (trusted and wrong / wrong).</param>
/// <param name="TruePositiveRate">Share of right answers at or above the threshold (trusted and right / right).</param>
public sealed record RocPoint(double FalsePositiveRate, double TruePositiveRate);
