namespace Lpp;

/// <summary>
/// Which policy a model deploys and why: the default recipe compares its cheapest learned candidate with the cheaper
/// of always trust and escalate everything on out-of-fold expected cost, and deploys the learned one only when a
/// paired bootstrap over the out-of-fold records says it is cheaper with at least the required probability. Written
/// to the model file's optional <c>policy</c> section; a file without one deploys its learned model (every file before
/// this section). <see cref="PolicyKind.Signal"/> (one signal at its threshold) is no longer written by the recipe (its
/// single-signal candidates are learned models) but files that hold it load and route as they say.
/// </summary>
public sealed record DeploymentPolicy
{
    /// <summary>A learned model deployed without a comparison (the paper recipe, and files without a policy section).</summary>
    public static DeploymentPolicy LearnedModel { get; } = new();

    /// <summary>What is deployed.</summary>
    public PolicyKind Kind { get; init; } = PolicyKind.Learned;

    /// <summary>For <see cref="PolicyKind.Signal"/>: the signal and the threshold it is deployed at; null otherwise.</summary>
    public BaselineThreshold? Signal { get; init; }

    /// <summary>The cheapest learned candidate, e.g. "logistic regression C=0.1"; empty without a comparison.</summary>
    public string Learned { get; init; } = string.Empty;

    /// <summary>Its out-of-fold expected cost (NaN without a comparison).</summary>
    public double LearnedCost { get; init; } = double.NaN;

    /// <summary>The simple policy compared with: always_trust or escalate_everything (a baseline's name in older files); empty without a comparison.</summary>
    public string Simple { get; init; } = string.Empty;

    /// <summary>Its expected cost on the records the learned candidate was scored on out of fold (NaN without a comparison).</summary>
    public double SimpleCost { get; init; } = double.NaN;

    /// <summary>The share of paired bootstrap draws in which the learned candidate costs less (NaN without a comparison).</summary>
    public double ProbabilityLearnedCheaper { get; init; } = double.NaN;

    /// <summary>The probability required to deploy the learned candidate (NaN without a comparison).</summary>
    public double RequiredProbability { get; init; } = double.NaN;

    /// <summary>Bootstrap draws (0 without a comparison).</summary>
    public int Draws { get; init; }

    /// <summary>Whether the learned model decides (<see cref="PolicyKind.Learned"/>).</summary>
    public bool IsLearned => Kind == PolicyKind.Learned;

    /// <summary>The policy's name in reports: "learned", "always_trust", "escalate_everything" or the signal's name.</summary>
    public string Name => Kind == PolicyKind.Signal && Signal is not null ? Signal.Name : Kind.Name();

    /// <summary>Whether the policy trusts a record with these features, whose learned score is <paramref name="score"/> against <paramref name="tau"/>.</summary>
    public bool Trusts(ReadOnlySpan<double> allFeatures, double score, double tau) => Kind switch
    {
        PolicyKind.Learned => score >= tau,
        PolicyKind.AlwaysTrust => true,
        PolicyKind.EscalateEverything => false,
        _ => Signal!.Trusts(allFeatures),
    };
}
