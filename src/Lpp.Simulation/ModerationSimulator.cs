using System.Globalization;
using System.Text;

namespace Lpp.Simulation;

/// <summary>
/// A generative model of an LLM moderation classifier, for demos, scale tests and benchmarks. Every record it makes
/// names the simulated model in <c>source.model</c> (default <c>simulated-llm</c>) and <c>source.provider</c>
/// <c>simulated</c>. The model is documented in <c>docs/simulation.md</c>; in short, per item:
/// <list type="number">
/// <item>concept (the 8 OpenAI moderation categories, uniform), language (weighted, English first), case (clear,
/// evidence-deficit, policy-gap), truth ~ Bernoulli(prevalence), latent difficulty z ~ N(0, 1) plus concept and
/// language shifts;</item>
/// <item>outcome: 2 with probability σ(a + b·z + boost on evidence-deficit items), else 3 with σ(a + b·z + boost on
/// policy-gap items), else the truth with probability σ(skill − s·z − penalty on hard cases), else the other label;</item>
/// <item>decision token: the chosen token's probability σ(c − d·ẑ − w·[wrong]) from a noisy view ẑ of z, 19 more
/// alternatives (the other labels 0-3, spaced and marked variants such as <c>" 1"</c>, <c>"▁1"</c>, <c>"Ġ0"</c>, and
/// non-label tokens such as <c>" "</c>, <c>"\""</c>, <c>"{"</c>) sharing 90% of the rest with exponential weights,
/// labels 2/3 weighted up on evidence-deficit/policy-gap items;</item>
/// <item>verbalized confidence 100·σ(v − u·z̃ − penalty on hard cases) from an independent noisy view z̃, snapped to
/// a multiple of 5; band from the confidence plus jitter (VH ≥ 90, H ≥ 75, M ≥ 60, L ≥ 40, else VL);</item>
/// <item>with chain of thought, three steps of 6-12 words whose token probabilities fall with a third noisy view of z.</item>
/// </list>
/// Verbalized confidence, the abstention mass and the reasoning tokens see the difficulty through independent noise,
/// so a meta-model has signal to learn beyond the maximum softmax probability. Generation streams: memory does not
/// grow with the number of items.
/// </summary>
public sealed class ModerationSimulator
{
    private const int OutcomeTopK = SimulationDefaults.OutcomeTopK;
    private const int ReasoningTopK = SimulationDefaults.ReasoningTopK;
    private const int ReasoningStreamSalt = 0x5EED_C07;

    private static readonly string[] Vocabulary =
    [
        "the", "post", "text", "content", "mentions", "targets", "a", "group", "policy", "definition", "covers", "context",
        "is", "not", "clear", "explicit", "violent", "threat", "hateful", "slur", "sexual", "minor", "self", "harm",
        "intent", "evidence", "insufficient", "quoted", "satire", "news", "reporting", "describes", "language", "implies",
        "ambiguous", "therefore", "label", "applies", "does", "meet", "criteria", "likely", "unlikely", "graphic",
        "harassment", "against", "person", "user",
    ];

    private static readonly string[] SpacedVocabulary = [.. Vocabulary.Select(w => " " + w)];
    private static readonly string[] SourceKeys = ["concept", "language", "model", "provider"];
    private static readonly string[] OutcomeTokens = ["0", "1", "2", "3"];

    // The 19 alternatives listed beside each chosen outcome token, with the label each maps to (-1: none).
    private static readonly (string Token, int Label)[] Variants =
        [(" 0", 0), (" 1", 1), (" 2", 2), (" 3", 3), ("▁0", 0), ("▁1", 1), ("Ġ0", 0), ("Ġ1", 1)];

    private static readonly (string Token, int Label)[] NonLabels =
        [(" ", -1), ("\"", -1), ("{", -1), ("}", -1), ("\n", -1), ("4", -1), ("null", -1), ("▁", -1)];

    private static readonly ReasoningToken StepsOpen = SimulatedAnswer.StructuralReasoning("[{\"");
    private static readonly ReasoningToken StepsBetween = SimulatedAnswer.StructuralReasoning("\"},{\"");
    private static readonly ReasoningToken StepsClose = SimulatedAnswer.StructuralReasoning("\"}]");
    private static readonly ReasoningToken Step = SimulatedAnswer.StructuralReasoning("step");
    private static readonly ReasoningToken Number = SimulatedAnswer.StructuralReasoning("_number");
    private static readonly ReasoningToken Colon = SimulatedAnswer.StructuralReasoning("\":");
    private static readonly ReasoningToken Comma = SimulatedAnswer.StructuralReasoning(",\"");
    private static readonly ReasoningToken Description = SimulatedAnswer.StructuralReasoning("description");
    private static readonly ReasoningToken ColonQuote = SimulatedAnswer.StructuralReasoning("\":\"");
    private static readonly ReasoningToken[] StepNumbers = [.. Enumerable.Range(1, 3).Select(i => SimulatedAnswer.StructuralReasoning(i.ToString(CultureInfo.InvariantCulture)))];

    private readonly SourceAttributes[] _sources;
    private readonly double[] _languageCumulative;
    private readonly (string Token, int Label)[][] _pools;

    /// <summary>Creates a simulator; <paramref name="options"/> are validated.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public ModerationSimulator(SimulationOptions? options = null)
    {
        options ??= new SimulationOptions();
        options.Validate();
        Options = options;
        var concepts = SimulationDefaults.Concepts;
        var languages = SimulationDefaults.Languages;
        _sources = new SourceAttributes[concepts.Length * languages.Length];
        for (var c = 0; c < concepts.Length; c++)
        {
            for (var l = 0; l < languages.Length; l++)
            {
                _sources[(c * languages.Length) + l] = new SourceAttributes(SourceKeys.Zip([concepts[c], languages[l], options.Model, SimulationDefaults.Provider], KeyValuePair.Create));
            }
        }

        _languageCumulative = new double[languages.Length];
        var sum = 0.0;
        for (var l = 0; l < languages.Length; l++)
        {
            sum += SimulationDefaults.LanguageShares[l];
            _languageCumulative[l] = sum;
        }

        _pools = new (string, int)[OutcomeTokens.Length][];
        for (var o = 0; o < OutcomeTokens.Length; o++)
        {
            var others = Enumerable.Range(0, 4).Where(l => l != o).Select(l => (OutcomeTokens[l], l));
            _pools[o] = [.. others, .. Variants, .. NonLabels];
        }
    }

    /// <summary>The options in force.</summary>
    public SimulationOptions Options { get; }

    /// <summary>
    /// Generates <paramref name="count"/> items with ids <c>sim-1/&lt;concept&gt;</c>, <c>sim-2/...</c>, lazily and in
    /// constant memory. Each enumeration starts again from <see cref="SimulationOptions.Seed"/>, so it yields the same items.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is negative.</exception>
    public IEnumerable<SimulatedItem> Generate(long count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        return Iterate(count);
    }

    private IEnumerable<SimulatedItem> Iterate(long count)
    {
        // Reasoning draws come from their own stream, so the same seed gives the same items with or without chain of thought.
        var random = new Random(Options.Seed);
        var state = new Scratch(new Random(unchecked(Options.Seed ^ ReasoningStreamSalt)));
        for (long i = 1; i <= count; i++)
        {
            yield return Next(random, i, state);
        }
    }

    private SimulatedItem Next(Random random, long index, Scratch state)
    {
        var o = Options;

        // The item.
        var concept = random.Next(SimulationDefaults.Concepts.Length);
        var language = PickLanguage(random.NextDouble());
        var u = random.NextDouble();
        var kind = u < o.EvidenceDeficitRate ? SimulatedCase.EvidenceDeficit
            : u < o.EvidenceDeficitRate + o.PolicyGapRate ? SimulatedCase.PolicyGap
            : SimulatedCase.Clear;
        var hard = kind != SimulatedCase.Clear;
        var z = Normal(random) + SimulationDefaults.ConceptDifficulty[concept] + (language == 0 ? 0 : SimulationDefaults.NonEnglishDifficulty);
        var truth = random.NextDouble() < o.Prevalence ? 1 : 0;

        // The outcome.
        var pEvidence = Sigmoid(SimulationDefaults.AbstainIntercept + (SimulationDefaults.AbstainSlope * z) + (kind == SimulatedCase.EvidenceDeficit ? SimulationDefaults.AbstainBoost : 0));
        var pDefinition = Sigmoid(SimulationDefaults.AbstainIntercept + (SimulationDefaults.AbstainSlope * z) + (kind == SimulatedCase.PolicyGap ? SimulationDefaults.AbstainBoost : 0));
        var a = random.NextDouble();
        var r = random.NextDouble();
        int outcome;
        if (a < pEvidence)
        {
            outcome = 2;
        }
        else if (a < pEvidence + pDefinition)
        {
            outcome = 3;
        }
        else
        {
            var pRight = Sigmoid(o.Skill - (SimulationDefaults.SkillSlope * z) - (hard ? SimulationDefaults.HardCasePenalty : 0));
            outcome = r < pRight ? truth : 1 - truth;
        }

        var correct = outcome == truth;

        // The decision token and its alternatives.
        var perceived = z + (o.LogprobNoise * Normal(random));
        var logit = SimulationDefaults.ConfidenceIntercept - (SimulationDefaults.ConfidenceSlope * perceived) - (correct ? 0 : SimulationDefaults.WrongPenalty);
        var alternatives = DecisionAlternatives(random, outcome, Sigmoid(Math.Clamp(logit, -20, 20)), kind);

        // Verbalized confidence and band.
        var seen = z + (o.VerbalizedNoise * Normal(random));
        var raw = 100 * Sigmoid(SimulationDefaults.VerbalizedIntercept - (SimulationDefaults.VerbalizedSlope * seen) - (hard ? SimulationDefaults.VerbalizedHardCasePenalty : 0));
        var percent = (int)(Math.Round(raw / 5, MidpointRounding.AwayFromZero) * 5);
        var band = Band(percent + (SimulationDefaults.BandJitter * Normal(random)));

        // Chain of thought.
        IReadOnlyList<ReasoningToken>? reasoning = null;
        if (o.ChainOfThought)
        {
            reasoning = Reasoning(state.Reasoning, z + (SimulationDefaults.ReasoningNoise * Normal(state.Reasoning)));
        }

        state.Tokens.Clear();
        SimulatedAnswer.Layout(OutcomeTokens[outcome], alternatives, percent, band, reasoning, state.Tokens);
        var conceptKey = SimulationDefaults.Concepts[concept];
        var record = new DecisionRecord
        {
            Id = string.Create(CultureInfo.InvariantCulture, $"sim-{index}/{conceptKey}"),
            Source = _sources[(concept * SimulationDefaults.Languages.Length) + language],
            Schema = LabelSchema.Moderation,
            Output = new LlmOutput
            {
                Outcome = OutcomeTokens[outcome],
                RawAnswer = SimulatedAnswer.Text(state.Tokens, state.Text),
                VerbalizedConfidence = percent,
                Band = band,
                OutcomeTopLogprobs = alternatives,
                ReasoningTokens = reasoning,
            },
            Truth = OutcomeTokens[truth],
        };
        return new SimulatedItem(record, kind, z);
    }

    /// <summary>The chosen token first, then 19 alternatives sharing part of the rest, sorted by descending logprob.</summary>
    private TokenLogprob[] DecisionAlternatives(Random random, int outcome, double chosen, SimulatedCase kind)
    {
        var pool = _pools[outcome];
        Span<double> weights = stackalloc double[OutcomeTopK - 1];
        var sum = 0.0;
        for (var j = 0; j < weights.Length; j++)
        {
            var label = pool[j].Label;
            var weight = label < 0 ? 0.02
                : label == outcome ? 0.25
                : j < 3 ? (outcome < 2 ? (label < 2 ? 1.0 : 0.12) : (label < 2 ? 0.6 : 0.2))
                : 0.05;
            if ((label == 2 && kind == SimulatedCase.EvidenceDeficit) || (label == 3 && kind == SimulatedCase.PolicyGap))
            {
                weight *= SimulationDefaults.AbstainMassBoost;
            }

            weights[j] = weight * Exponential(random);
            sum += weights[j];
        }

        var rest = (1 - chosen) * SimulationDefaults.AlternativeCoverage;
        var alternatives = new TokenLogprob[OutcomeTopK];
        alternatives[0] = new TokenLogprob(OutcomeTokens[outcome], Math.Log(chosen));
        for (var j = 0; j < weights.Length; j++)
        {
            // Greedy decoding chose the most probable token: cap every alternative below it (distinct caps, no ties).
            var p = Math.Min(rest * weights[j] / sum, chosen * (0.9 - (j * 1e-3)));
            alternatives[j + 1] = new TokenLogprob(pool[j].Token, Math.Log(p));
        }

        Array.Sort(alternatives, 1, OutcomeTopK - 1, DescendingLogprob.Instance);
        return alternatives;
    }

    private ReasoningToken[] Reasoning(Random random, double perceived)
    {
        var words = new int[3];
        var total = 1;
        for (var s = 0; s < 3; s++)
        {
            words[s] = 6 + random.Next(7);
            total += 8 + words[s];
        }

        var tokens = new ReasoningToken[total];
        var t = 0;
        for (var s = 0; s < 3; s++)
        {
            tokens[t++] = s == 0 ? StepsOpen : StepsBetween;
            tokens[t++] = Step;
            tokens[t++] = Number;
            tokens[t++] = Colon;
            tokens[t++] = StepNumbers[s];
            tokens[t++] = Comma;
            tokens[t++] = Description;
            tokens[t++] = ColonQuote;
            for (var w = 0; w < words[s]; w++)
            {
                tokens[t++] = Word(random, perceived, w == 0 ? Vocabulary : SpacedVocabulary);
            }
        }

        tokens[t] = StepsClose;
        return tokens;
    }

    private static ReasoningToken Word(Random random, double perceived, string[] vocabulary)
    {
        var chosenIndex = random.Next(vocabulary.Length);
        var logit = SimulationDefaults.ReasoningIntercept - (SimulationDefaults.ReasoningSlope * perceived) + (SimulationDefaults.ReasoningJitter * Normal(random));
        var chosen = Sigmoid(Math.Clamp(logit, -20, 20));
        Span<double> weights = stackalloc double[ReasoningTopK - 1];
        var sum = 0.0;
        for (var j = 0; j < weights.Length; j++)
        {
            weights[j] = Exponential(random);
            sum += weights[j];
        }

        var rest = (1 - chosen) * SimulationDefaults.AlternativeCoverage;
        var alternatives = new TokenLogprob[ReasoningTopK];
        var logprob = Math.Log(chosen);
        alternatives[0] = new TokenLogprob(vocabulary[chosenIndex], logprob);
        for (var j = 0; j < weights.Length; j++)
        {
            // 7 is coprime with the vocabulary size (48), so the alternatives are distinct words other than the chosen one.
            var word = vocabulary[(chosenIndex + 1 + (7 * j)) % vocabulary.Length];
            alternatives[j + 1] = new TokenLogprob(word, Math.Log(Math.Min(rest * weights[j] / sum, chosen * (0.9 - (j * 1e-3)))));
        }

        Array.Sort(alternatives, 1, ReasoningTopK - 1, DescendingLogprob.Instance);
        return new ReasoningToken(vocabulary[chosenIndex], logprob, alternatives);
    }

    private int PickLanguage(double u)
    {
        for (var l = 0; l < _languageCumulative.Length - 1; l++)
        {
            if (u < _languageCumulative[l])
            {
                return l;
            }
        }

        return _languageCumulative.Length - 1;
    }

    private static ConfidenceBand Band(double value) => value switch
    {
        >= 90 => ConfidenceBand.VH,
        >= 75 => ConfidenceBand.H,
        >= 60 => ConfidenceBand.M,
        >= 40 => ConfidenceBand.L,
        _ => ConfidenceBand.VL,
    };

    private static double Sigmoid(double x) => 1 / (1 + Math.Exp(-x));

    /// <summary>A standard normal draw (Box-Muller; 1 - U keeps the logarithm finite).</summary>
    private static double Normal(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    private static double Exponential(Random random) => -Math.Log(1 - random.NextDouble());

    private sealed class Scratch(Random reasoning)
    {
        public Random Reasoning { get; } = reasoning;

        public List<SimulatedAnswer.AnswerToken> Tokens { get; } = new(64);

        public StringBuilder Text { get; } = new(256);
    }

    private sealed class DescendingLogprob : IComparer<TokenLogprob>
    {
        public static DescendingLogprob Instance { get; } = new();

        public int Compare(TokenLogprob x, TokenLogprob y) => y.Logprob.CompareTo(x.Logprob);
    }
}
