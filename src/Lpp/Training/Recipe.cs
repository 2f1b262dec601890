namespace Lpp;

/// <summary>How the escalation model is trained.</summary>
public enum Recipe
{
    /// <summary>
    /// Ours: no resampling; learned candidates (calibrated ridge variants, logistic regression, each single signal
    /// as a calibrated one-feature model) chosen by out-of-fold expected cost at τ in closed form (1 − r/2 for the
    /// paper's cost, 1 − r for the absolute one); the cheapest replaces the cheaper of always trust and escalate
    /// everything only when a paired bootstrap gives it at least 90% probability of costing less.
    /// </summary>
    Default,

    /// <summary>
    /// The paper's protocol: Tomek links + random undersampling, the full grid of 1,344 configurations selected by
    /// cross-validated F1 of the LLM-error class, τ swept over [0.35, 0.70] on a held-out 20% validation split.
    /// </summary>
    Paper,
}
