namespace Lpp;

/// <summary>Why a model abstained: the two kinds of "inconclusive" answer in the moderation schema.</summary>
public enum Attribution
{
    /// <summary>Aleatoric: the content does not show enough to decide (routes to senior reviewers).</summary>
    Evidence,

    /// <summary>Epistemic: the policy definition does not cover the case (routes to policy owners).</summary>
    Definition,
}
