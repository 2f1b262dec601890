namespace Lpp.Simulation;

/// <summary>
/// Options of <see cref="ModerationSimulator"/>: the seed, chain of thought, and the knobs of the generative model that a
/// user most often turns. The remaining constants of the model are documented in <c>docs/simulation.md</c>.
/// </summary>
public sealed record SimulationOptions
{
    /// <summary>Seed of the generator: the same seed and options give the same records, byte for byte.</summary>
    /// <value>Default 42; any integer.</value>
    public int Seed { get; init; } = SimulationDefaults.Seed;

    /// <summary>Whether answers carry three chain-of-thought steps whose tokens become <c>reasoning_tokens</c>.</summary>
    /// <value>Default false.</value>
    public bool ChainOfThought { get; init; }

    /// <summary>Share of items whose true label is 1.</summary>
    /// <value>Default 0.35; strictly between 0 and 1.</value>
    public double Prevalence { get; init; } = SimulationDefaults.Prevalence;

    /// <summary>Share of evidence-deficit items, which raise the rate of outcome 2 (abstain: evidence).</summary>
    /// <value>Default 0.07; in [0, 1), and with <see cref="PolicyGapRate"/> below 1.</value>
    public double EvidenceDeficitRate { get; init; } = SimulationDefaults.EvidenceDeficitRate;

    /// <summary>Share of policy-gap items, which raise the rate of outcome 3 (abstain: definition).</summary>
    /// <value>Default 0.05; in [0, 1), and with <see cref="EvidenceDeficitRate"/> below 1.</value>
    public double PolicyGapRate { get; init; } = SimulationDefaults.PolicyGapRate;

    /// <summary>Logit of a right decision at difficulty 0: higher means fewer errors.</summary>
    /// <value>Default 2.6 (about 23% errors, abstentions included); finite, in [-10, 10].</value>
    public double Skill { get; init; } = SimulationDefaults.Skill;

    /// <summary>
    /// Noise between the true difficulty and the one the decision token's logprobs reflect: higher makes the maximum
    /// softmax probability a weaker predictor of errors.
    /// </summary>
    /// <value>Default 1.2; finite, in [0, 10].</value>
    public double LogprobNoise { get; init; } = SimulationDefaults.LogprobNoise;

    /// <summary>Noise between the true difficulty and the one the verbalized confidence reflects.</summary>
    /// <value>Default 1.5; finite, in [0, 10].</value>
    public double VerbalizedNoise { get; init; } = SimulationDefaults.VerbalizedNoise;

    /// <summary>The name written to <c>source.model</c> (and to the provider bodies); it should say the model is simulated.</summary>
    /// <value>Default "simulated-llm"; not empty.</value>
    public string Model { get; init; } = SimulationDefaults.Model;

    /// <summary>Throws with a message naming the option and its allowed range when an option is out of range.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public void Validate()
    {
        if (!(Prevalence > 0 && Prevalence < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(Prevalence), Prevalence, "prevalence must be strictly between 0 and 1");
        }

        if (!(EvidenceDeficitRate >= 0 && EvidenceDeficitRate < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(EvidenceDeficitRate), EvidenceDeficitRate, "evidence-deficit rate must be in [0, 1)");
        }

        if (!(PolicyGapRate >= 0 && PolicyGapRate < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(PolicyGapRate), PolicyGapRate, "policy-gap rate must be in [0, 1)");
        }

        if (!(EvidenceDeficitRate + PolicyGapRate < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(PolicyGapRate), PolicyGapRate, "evidence-deficit rate + policy-gap rate must be below 1");
        }

        if (!(Skill >= -10 && Skill <= 10))
        {
            throw new ArgumentOutOfRangeException(nameof(Skill), Skill, "skill must be in [-10, 10]");
        }

        if (!(LogprobNoise >= 0 && LogprobNoise <= 10))
        {
            throw new ArgumentOutOfRangeException(nameof(LogprobNoise), LogprobNoise, "logprob noise must be in [0, 10]");
        }

        if (!(VerbalizedNoise >= 0 && VerbalizedNoise <= 10))
        {
            throw new ArgumentOutOfRangeException(nameof(VerbalizedNoise), VerbalizedNoise, "verbalized noise must be in [0, 10]");
        }

        if (string.IsNullOrWhiteSpace(Model))
        {
            throw new ArgumentOutOfRangeException(nameof(Model), Model, "model must not be empty");
        }
    }
}
