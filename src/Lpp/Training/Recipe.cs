namespace Lpp;

/// <summary>How the escalation model is trained.</summary>
public enum Recipe
{
    /// <summary>
    /// Ours: no resampling; hyperparameters (regularisation, calibration, and the best single signal as a candidate
    /// model) chosen by cross-validated log loss; τ chosen on out-of-fold predictions over all training data with
    /// an unrestricted range. The cost enters only through τ.
    /// </summary>
    Default,

    /// <summary>
    /// The paper's protocol: Tomek links + random undersampling, the full grid of 1,344 configurations selected by
    /// cross-validated F1 of the LLM-error class, τ swept over [0.35, 0.70] on a held-out 20% validation split.
    /// </summary>
    Paper,
}
