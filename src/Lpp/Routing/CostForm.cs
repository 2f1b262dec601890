namespace Lpp;

/// <summary>How the cost of a routing policy is counted.</summary>
public enum CostForm
{
    /// <summary>
    /// The paper's cost relative to trusting everything: C = c_error·FP + (c_review − c_error)·TN + c_review·FN.
    /// Escalating a wrong answer earns back the error it avoids (its term is negative when c_review &lt; c_error).
    /// </summary>
    Paper,

    /// <summary>The plain operational cost: C = c_error·FP + c_review·(TN + FN): every error let through and every review paid.</summary>
    Absolute,
}
