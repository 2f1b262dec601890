namespace Lpp;

/// <summary>What the audit sample says about the trusted decisions of one model in a monitoring window.</summary>
/// <param name="Rate">The audit rate in force, averaged over the trusted decisions (the rate itself when it did not change); NaN when none was trusted.</param>
/// <param name="Estimate">Sampled, reviewed and wrong, and the estimated error rate among all trusted decisions with its exact 95% interval.</param>
/// <param name="Expected">The error rate among trusted items the training profile expected (out of fold); NaN without a profile or when it trusted none.</param>
public sealed record AuditSummary(double Rate, TrustedErrorEstimate Estimate, double Expected);
