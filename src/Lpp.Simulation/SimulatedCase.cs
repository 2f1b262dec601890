namespace Lpp.Simulation;

/// <summary>The kind of a simulated item, which shapes how the simulated model answers it.</summary>
public enum SimulatedCase
{
    /// <summary>The content shows enough and the policy covers it.</summary>
    Clear,

    /// <summary>The content does not show enough to decide: outcome 2 (abstain: evidence) is more likely, errors too.</summary>
    EvidenceDeficit,

    /// <summary>The policy definition does not cover the case: outcome 3 (abstain: definition) is more likely, errors too.</summary>
    PolicyGap,
}
