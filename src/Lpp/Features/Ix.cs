namespace Lpp;

/// <summary>Positions of the features in <see cref="FeatureSchema.All"/>; a test checks them against the names.</summary>
internal static class Ix
{
    public const int TopkEntropy = 0;
    public const int TopkMsp = 4;
    public const int TopkMargin = 5;
    public const int LabelMass = 8;
    public const int LabelEntropy = 9;
    public const int LabelProbOutcome = 17;
    public const int LogoddsMargin = 18;
    public const int LogoddsMarginNorm = 19;
    public const int LabelLogoddsMargin = 20;
    public const int LabelLogoddsMarginNorm = 21;
    public const int ReasoningNll = 22;
    public const int ReasoningPpl = 23;
    public const int ReasoningEntropyMean = 24;
    public const int ReasoningEntropyQ0 = 25;
    public const int ReasoningProbQ0 = 30;
    public const int VerbalizedConfidence = 35;
    public const int BandVl = 36;
    public const int AbstainEvidence = 41;
    public const int AbstainDefinition = 42;
    public const int AbstainAny = 43;
    public const int HasLogprobs = 44;
    public const int HasReasoning = 45;
    public const int HasVerbalized = 46;
    public const int HasBand = 47;
    public const int OutcomeInvalid = 48;
}
