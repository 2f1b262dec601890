namespace Lpp;

/// <summary>What kind of routing policy a <see cref="Method"/> is.</summary>
public enum MethodKind
{
    /// <summary>Trust every answer: the policy a team has without any router.</summary>
    AlwaysTrust,

    /// <summary>Threshold one signal (max probability, margin, entropy, verbalized confidence).</summary>
    Signal,

    /// <summary>The escalation model under evaluation (in an experiment: trained with the experiment's recipe).</summary>
    MetaModel,

    /// <summary>An escalation model trained with another recipe on the same data, for comparison.</summary>
    Recipe,
}
