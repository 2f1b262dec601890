namespace Lpp;

/// <summary>How the escalation model is trained.</summary>
public enum Recipe
{
    /// <summary>
    /// Ours: no resampling; hyperparameters (regularisation, calibration, and the best single signal as a candidate
    /// model) chosen by cross-validated log loss, a proper scoring rule; τ the closed-form cost optimum of a
    /// calibrated probability (1 − r/2 for the paper's cost, 1 − r for the absolute one). The cost enters only through τ.
    /// </summary>
    Default,

    /// <summary>
    /// The paper's protocol: Tomek links + random undersampling, the full grid of 1,344 configurations selected by
    /// cross-validated F1 of the LLM-error class, τ swept over [0.35, 0.70] on a held-out 20% validation split.
    /// </summary>
    Paper,
}
