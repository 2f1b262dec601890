namespace Lpp;

/// <summary>How the escalation model is trained.</summary>
public enum Recipe
{
    /// <summary>
    /// Ours: no resampling; candidates (calibrated ridge variants, logistic regression, single signals; always trust,
    /// escalate everything, each signal at its threshold) chosen by out-of-fold expected cost at the threshold each
    /// would deploy, a learned one at τ in closed form (1 − r/2 for the paper's cost, 1 − r for the absolute one); the
    /// cheapest learned candidate replaces the cheapest simple policy only when a paired bootstrap gives it at least
    /// 90% probability of costing less.
    /// </summary>
    Default,

    /// <summary>
    /// The paper's protocol: Tomek links + random undersampling, the full grid of 1,344 configurations selected by
    /// cross-validated F1 of the LLM-error class, τ swept over [0.35, 0.70] on a held-out 20% validation split.
    /// </summary>
    Paper,
}
