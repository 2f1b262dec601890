namespace Lpp;

/// <summary>Names of <see cref="PolicyKind"/> as written in model files, summaries and model cards.</summary>
public static class PolicyKinds
{
    /// <summary>learned, always_trust, escalate_everything or signal.</summary>
    public static string Name(this PolicyKind kind) => kind switch
    {
        PolicyKind.Learned => "learned",
        PolicyKind.AlwaysTrust => "always_trust",
        PolicyKind.EscalateEverything => "escalate_everything",
        PolicyKind.Signal => "signal",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "not a policy kind"),
    };

    /// <summary>Parses a name written by <see cref="Name"/>.</summary>
    /// <exception cref="FormatException">Any other text.</exception>
    public static PolicyKind Parse(string text) => text switch
    {
        "learned" => PolicyKind.Learned,
        "always_trust" => PolicyKind.AlwaysTrust,
        "escalate_everything" => PolicyKind.EscalateEverything,
        "signal" => PolicyKind.Signal,
        _ => throw new FormatException($"policy '{text}' is not one of learned, always_trust, escalate_everything, signal"),
    };
}
