namespace Lpp;

/// <summary>
/// What a model file deploys: its learned probability at τ, or one of the simple policies a team already has
/// (always trust the LLM, escalate everything, or threshold one signal). Named in files and reports by
/// <see cref="PolicyKinds.Name"/> and read back by <see cref="PolicyKinds.Parse"/>.
/// </summary>
public enum PolicyKind
{
    /// <summary>Trust iff the learned P(the LLM is right) ≥ τ (the calibrated ridge or the logistic regression).</summary>
    Learned,

    /// <summary>Trust every answer (abstentions and unparseable answers still go to review).</summary>
    AlwaysTrust,

    /// <summary>Escalate every item to a person.</summary>
    EscalateEverything,

    /// <summary>Trust iff one signal (MSP, top-2 margin, entropy or verbalized confidence) is at or above its threshold; a missing signal escalates.</summary>
    Signal,
}
