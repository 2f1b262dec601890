namespace Lpp.Simulation;

/// <summary>
/// The one place where the defaults of the moderation simulator are defined. The values are chosen so that the error
/// rate and the ROC AUC of the maximum softmax probability fall inside the range of the real LLM answers in
/// <c>../shared/data/llm-confidence/</c>; <c>docs/simulation.md</c> puts the simulated and the real numbers side by side.
/// </summary>
internal static class SimulationDefaults
{
    /// <summary>Seed of the generator.</summary>
    public const int Seed = 42;

    /// <summary>Share of items whose true label is 1 (the content violates the concept).</summary>
    public const double Prevalence = 0.35;

    /// <summary>Share of evidence-deficit items (the content does not show enough to decide).</summary>
    public const double EvidenceDeficitRate = 0.07;

    /// <summary>Share of policy-gap items (the policy definition does not cover the case).</summary>
    public const double PolicyGapRate = 0.05;

    /// <summary>Intercept of the logit of a right decision at difficulty 0 (the model's skill).</summary>
    public const double Skill = 2.6;

    /// <summary>Slope of the logit of a right decision per unit of difficulty.</summary>
    public const double SkillSlope = 1.6;

    /// <summary>Logit penalty of a right decision on evidence-deficit and policy-gap items, beyond their difficulty.</summary>
    public const double HardCasePenalty = 1.0;

    /// <summary>Intercept of the logit of each abstention outcome (2 and 3) at difficulty 0.</summary>
    public const double AbstainIntercept = -5.0;

    /// <summary>Slope of the logit of each abstention outcome per unit of difficulty.</summary>
    public const double AbstainSlope = 0.8;

    /// <summary>Logit boost of outcome 2 on evidence-deficit items and of outcome 3 on policy-gap items.</summary>
    public const double AbstainBoost = 3.0;

    /// <summary>Standard deviation of the noise between the true difficulty and the difficulty the logprobs reflect.</summary>
    public const double LogprobNoise = 1.2;

    /// <summary>Intercept of the logit of the chosen decision token (overconfident: most answers are near-certain).</summary>
    public const double ConfidenceIntercept = 4.0;

    /// <summary>Slope of the logit of the chosen decision token per unit of perceived difficulty.</summary>
    public const double ConfidenceSlope = 1.2;

    /// <summary>Logit penalty of the chosen decision token when the answer is wrong (errors are a little less sure).</summary>
    public const double WrongPenalty = 0.5;

    /// <summary>Share of the probability left by the chosen token that the 19 listed alternatives carry.</summary>
    public const double AlternativeCoverage = 0.9;

    /// <summary>How much more mass the alternatives of label 2 (3) get on evidence-deficit (policy-gap) items.</summary>
    public const double AbstainMassBoost = 6.0;

    /// <summary>Standard deviation of the noise between the true difficulty and the difficulty the verbalized confidence reflects.</summary>
    public const double VerbalizedNoise = 1.5;

    /// <summary>Intercept of the logit of the verbalized confidence (overconfident: the mean is about 85).</summary>
    public const double VerbalizedIntercept = 2.3;

    /// <summary>Slope of the logit of the verbalized confidence per unit of perceived difficulty.</summary>
    public const double VerbalizedSlope = 0.8;

    /// <summary>Logit penalty of the verbalized confidence on evidence-deficit and policy-gap items.</summary>
    public const double VerbalizedHardCasePenalty = 0.6;

    /// <summary>Standard deviation (in points) of the jitter between the verbalized confidence and the band.</summary>
    public const double BandJitter = 8.0;

    /// <summary>Standard deviation of the noise between the true difficulty and the difficulty the reasoning tokens reflect.</summary>
    public const double ReasoningNoise = 1.5;

    /// <summary>Intercept of the logit of a chain-of-thought token.</summary>
    public const double ReasoningIntercept = 3.0;

    /// <summary>Slope of the logit of a chain-of-thought token per unit of perceived difficulty.</summary>
    public const double ReasoningSlope = 0.8;

    /// <summary>Standard deviation of the per-token jitter of a chain-of-thought token's logit.</summary>
    public const double ReasoningJitter = 1.0;

    /// <summary>Alternatives listed at each chain-of-thought word (the chosen token included).</summary>
    public const int ReasoningTopK = 5;

    /// <summary>Alternatives listed at the decision token (the chosen token included).</summary>
    public const int OutcomeTopK = 20;

    /// <summary>The model name written to <c>source.model</c>: it marks every record as simulated.</summary>
    public const string Model = "simulated-llm";

    /// <summary>The provider name written to <c>source.provider</c> of records.</summary>
    public const string Provider = "simulated";

    /// <summary>Logprob of the structural JSON tokens of the answer (near-certain under a strict schema).</summary>
    public const double StructuralLogprob = -1e-6;

    /// <summary>The OpenAI moderation categories used as <c>source.concept</c>.</summary>
    public static readonly string[] Concepts = ["S", "H", "V", "HR", "SH", "S3", "H2", "V2"];

    /// <summary>Difficulty shift of each concept of <see cref="Concepts"/> (subtler concepts are harder).</summary>
    public static readonly double[] ConceptDifficulty = [0.0, 0.2, 0.1, 0.3, 0.1, -0.2, 0.4, 0.3];

    /// <summary>The languages used as <c>source.language</c>.</summary>
    public static readonly string[] Languages = ["en", "es", "pt", "de", "fr", "hi", "ar", "ja"];

    /// <summary>Share of each language of <see cref="Languages"/>.</summary>
    public static readonly double[] LanguageShares = [0.55, 0.12, 0.08, 0.07, 0.07, 0.05, 0.03, 0.03];

    /// <summary>Difficulty shift of every language but English (the model is weaker outside English).</summary>
    public const double NonEnglishDifficulty = 0.3;
}
