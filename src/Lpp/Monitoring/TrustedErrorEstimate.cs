namespace Lpp;

/// <summary>
/// The error rate among all trusted decisions, estimated from the audited sample of them: <paramref name="Errors"/>
/// wrong among <paramref name="Reviewed"/> reviewed, with the exact (Clopper-Pearson) 95% interval. Every trusted
/// decision is sampled with the same probability (a hash of its id below the audit rate), so the sample is an
/// unbiased draw and the interval holds for the rate among all trusted decisions of the period.
/// </summary>
/// <param name="Sampled">Trusted decisions sent to audit.</param>
/// <param name="Reviewed">Of those, reviewed so far.</param>
/// <param name="Errors">Of those, found wrong (the verdict differs from the LLM's answer).</param>
public sealed record TrustedErrorEstimate(long Sampled, int Reviewed, int Errors)
{
    /// <summary>Errors / reviewed; NaN when nothing was reviewed.</summary>
    public double Rate => Reviewed == 0 ? double.NaN : (double)Errors / Reviewed;

    /// <summary>The exact 95% interval of the rate; [0, 1] when nothing was reviewed.</summary>
    public Interval Ci95 => BinomialInterval.ClopperPearson(Errors, Reviewed, 0.95);
}
