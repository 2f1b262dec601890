namespace Lpp.Tests;

/// <summary>
/// Expected values come from reference_features.py beside this file: an independent numpy implementation of the
/// formulas of issue 2 (not derived from the C# code). Tolerance 1e-12 relative unless stated.
/// </summary>
public sealed class LppFeatureExtractorTests
{
    private const double Tolerance = 1e-12;
    private static readonly LppFeatureExtractor Extractor = new();

    private static readonly string[] FamilyA = ["topk_entropy", "topk_entropy_norm", "topk_effective_choices", "topk_confidence", "topk_msp", "topk_margin", "topk_margin_norm", "topk_ratio"];
    private static readonly string[] FamilyB = ["label_mass", "label_entropy", "label_entropy_norm", "label_effective_choices", "label_confidence", "label_msp", "label_margin", "label_margin_norm", "label_ratio", "label_prob_outcome"];
    private static readonly string[] FamilyC = ["logodds_margin", "logodds_margin_norm", "label_logodds_margin", "label_logodds_margin_norm"];

    [Fact]
    public void Ix_MatchesTheSchemaNames()
    {
        // The index constants used by the extractor point at the features of the same name.
        Assert.Equal(49, FeatureSchema.Count);
        Assert.Equal(Ix.TopkEntropy, FeatureSchema.IndexOf("topk_entropy"));
        Assert.Equal(Ix.TopkMsp, FeatureSchema.IndexOf("topk_msp"));
        Assert.Equal(Ix.TopkMargin, FeatureSchema.IndexOf("topk_margin"));
        Assert.Equal(Ix.LabelMass, FeatureSchema.IndexOf("label_mass"));
        Assert.Equal(Ix.LabelEntropy, FeatureSchema.IndexOf("label_entropy"));
        Assert.Equal(Ix.LabelProbOutcome, FeatureSchema.IndexOf("label_prob_outcome"));
        Assert.Equal(Ix.LogoddsMargin, FeatureSchema.IndexOf("logodds_margin"));
        Assert.Equal(Ix.LabelLogoddsMarginNorm, FeatureSchema.IndexOf("label_logodds_margin_norm"));
        Assert.Equal(Ix.ReasoningNll, FeatureSchema.IndexOf("reasoning_nll"));
        Assert.Equal(Ix.ReasoningEntropyMean, FeatureSchema.IndexOf("reasoning_entropy_mean"));
        Assert.Equal(Ix.ReasoningEntropyQ0, FeatureSchema.IndexOf("reasoning_entropy_q0"));
        Assert.Equal(Ix.ReasoningProbQ0, FeatureSchema.IndexOf("reasoning_prob_q0"));
        Assert.Equal(Ix.VerbalizedConfidence, FeatureSchema.IndexOf("verbalized_confidence"));
        Assert.Equal(Ix.BandVl, FeatureSchema.IndexOf("band_vl"));
        Assert.Equal(Ix.AbstainEvidence, FeatureSchema.IndexOf("abstain_evidence"));
        Assert.Equal(Ix.HasLogprobs, FeatureSchema.IndexOf("has_logprobs"));
        Assert.Equal(Ix.OutcomeInvalid, FeatureSchema.IndexOf("outcome_invalid"));
        Assert.Equal(FeatureSchema.Count, FeatureSchema.Names.Distinct().Count());
    }

    [Fact]
    public void Extract_ConfidentModerationAnswer_MatchesReference()
    {
        // Given a confident "1" with a white-space alternative that maps onto no label
        var record = Moderation("1", [new("1", -0.0003), new("0", -8.4), new("2", -10.1), new(" ", -12.5)]);

        // When its features are computed
        var f = Extractor.Extract(record);

        // Then families A, B and C match the reference (reference_features.py, case "confident")
        AssertFamily(f, FamilyA, [0.003779977195277574, 0.001889988597638787, 1.0026235159461894, 0.9981100114023612, 0.9997303183010651, 0.9995054441673664, 0.9997750652055039, 4445.732827773544]);
        AssertFamily(f, FamilyB, [0.9999659918749044, 0.003707407262119742, 0.001853703631059871, 1.0025730836028866, 0.9981462963689401, 0.9997340440759336, 0.9995091691041785, 0.9997750652055039, 4445.7328277735405, 0.9997340440759336]);
        AssertFamily(f, FamilyC, [-8.399700000000001, 0.9999642857142857, -8.399700000000001, 0.9999642857142857]);
        Assert.Equal(1, f[FeatureSchema.IndexOf("has_logprobs")]);
    }

    [Fact]
    public void Extract_NoisyOpenModelAlternatives_MergesMarkersAndDropsFloors()
    {
        // Given vLLM/llama.cpp-style alternatives: a SentencePiece "▁0", a brace, a -9999 floor, a repeated chosen token, a -3.4e38 floor
        var record = Moderation("0", [new("0", -0.25), new("\u25810", -2.1), new("1", -2.3), new("{", -5.0), new("2", -9999.0), new("0", -0.3), new("3", -3.4e38)]);

        // When its features are computed
        var f = Extractor.Extract(record);

        // Then the floors count as zero probability, "▁0" merges into label 0, the repeat counts once (reference case "noisy")
        AssertFamily(f, FamilyA, [1.0365781657122755, 0.5182890828561377, 2.0513564002175717, 0.48171091714386227, 0.7724251840218931, 0.6509712368970083, 0.8427628336863724, 6.359819522601832]);
        AssertFamily(f, FamilyB, [1.0, 0.46933492425017953, 0.23466746212508977, 1.3844710862010197, 0.7653325378749103, 0.8998929241148514, 0.7997858482297029, 0.8887566807088572, 8.98930386446694, 0.8998929241148514]);
        AssertFamily(f, FamilyC, [-1.85, 0.8809523809523809, -2.1960354110545097, 0.9547980048063086]);
    }

    [Fact]
    public void Extract_RealGpt4oRecord_MatchesReference()
    {
        // Given the real record boolq/0 of ../shared/data/llm-confidence/gpt-4o/boolq.jsonl
        var record = DecisionRecordReader.ReadValid(SharedData.Path("data/llm-confidence/gpt-4o/boolq.jsonl")).First();

        // When its features are computed
        var f = Extractor.Extract(record);

        // Then they match the reference (case "boolq0") and its verbalized 70 gives 0.7
        Assert.Equal("boolq/0", record.Id);
        AssertFamily(f, FamilyA, [0.01809756427835657, 0.01809756427835657, 1.012623285106865, 0.9819024357216435, 0.9982992775885648, 0.9965985551771296, 0.9982963802041974, 586.9854309417088]);
        AssertFamily(f, FamilyB, [1.0, 0.018097564278356737, 0.007794196692914669, 1.0126232851068653, 0.9922058033070853, 0.9982992775885647, 0.9965985551771295, 0.9982963802041974, 586.9854309417087, 0.9982992775885647]);
        AssertFamily(f, FamilyC, [-6.375, 0.9997330908673481, -6.375, 0.9997330908673481]);
        Assert.Equal(0.7, f[Ix.VerbalizedConfidence], Tolerance);
        Assert.True(double.IsNaN(f[Ix.BandVl]));
        Assert.Equal(0, f[Ix.HasBand]);
    }

    [Fact]
    public void Extract_ReasoningTokens_MatchesReference()
    {
        // Given the four reasoning tokens of examples/moderation.jsonl post-006/HR
        var record = Moderation("0", [new("0", -0.0001)]) with
        {
            Output = new LlmOutput
            {
                Outcome = "0",
                ReasoningTokens =
                [
                    new("The", -0.02, [new("The", -0.02), new("This", -4.1)]),
                    new(" post", -0.3, [new(" post", -0.3), new(" text", -1.4), new(" message", -3.0)]),
                    new(" is", -0.001, [new(" is", -0.001)]),
                    new(" benign", -0.9, [new(" benign", -0.9), new(" harmless", -0.8), new(" neutral", -2.5)]),
                ],
            },
        };

        // When its features are computed
        var f = Extractor.Extract(record);

        // Then D and E match the reference (case "reasoning": numpy percentiles, linear interpolation)
        AssertFamily(f, ["reasoning_nll", "reasoning_ppl"], [1.221, 1.35696420165504]);
        AssertFamily(f, [.. FeatureSchema.All.Where(d => d.Family == FeatureFamily.E).Select(d => d.Name)],
            [0.6276994449199006, 0.0, 0.0915407946474895, 0.5859213064431693, 1.1220799567155804, 1.3389551667932638, 0.4065696597405991, 0.6572560804464382, 0.8605084469942366, 0.9848991299384102, 0.999000499833375]);
        Assert.Equal(1, f[Ix.HasReasoning]);
    }

    [Fact]
    public void Extract_ReasoningAlternativesBeyondTopK_AreCutBeforeTheEntropy()
    {
        // Given top-k 2 and one reasoning token with three alternatives of probability 0.5, 0.25, 0.25
        var extractor = new LppFeatureExtractor(new LppFeatureOptions { TopK = 2 });
        var record = Moderation("0", [new("0", -0.1)]) with
        {
            Output = new LlmOutput
            {
                Outcome = "0",
                ReasoningTokens = [new("The", Math.Log(0.5), [new("The", Math.Log(0.5)), new("This", Math.Log(0.25)), new("A", Math.Log(0.25))])],
            },
        };

        // When its features are computed
        var f = extractor.Extract(record);

        // Then family E sees the two most probable renormalised to (2/3, 1/3): H = log2(3) - 2/3 = 0.918295834054489...
        // (hand calculation; all three would give 1.5 bits)
        var expected = Math.Log2(3) - (2.0 / 3);
        Assert.Equal(expected, f[Ix.ReasoningEntropyMean], 12);
        Assert.Equal(expected, f[Ix.ReasoningEntropyQ0], 12);
        Assert.Equal(expected, f[Ix.ReasoningEntropyQ0 + 4], 12);
    }

    [Fact]
    public void Extract_LogprobExactlyMinus1000_HasZeroProbability()
    {
        // Given a decision token whose only alternative sits exactly at the -1000 floor
        var f = Extractor.Extract(Moderation("1", [new("1", -1000)]));

        // Then it counts as no alternative at all: no logprobs, family A missing (not "certain")
        Assert.Equal(0, f[Ix.HasLogprobs]);
        Assert.True(double.IsNaN(f[Ix.TopkMsp]));
        Assert.True(double.IsNaN(f[Ix.LabelMass]));
    }

    [Fact]
    public void Extract_LogprobJustAboveMinus1000_IsAnAlternative()
    {
        // Given the same alternative at -999.5, above the floor (its probability underflows, but it is usable)
        var f = Extractor.Extract(Moderation("1", [new("1", -999.5)]));

        // Then there is one alternative: renormalised to p = (1), so msp 1 and entropy 0 (hand calculation)
        Assert.Equal(1, f[Ix.HasLogprobs]);
        Assert.Equal(1, f[Ix.TopkMsp]);
        Assert.Equal(0, f[Ix.TopkEntropy]);
    }

    [Fact]
    public void Extract_ReasoningAlternativeExactlyMinus1000_IsDropped()
    {
        // Given one reasoning token whose only alternative sits exactly at the -1000 floor
        var record = Moderation("0", [new("0", -0.1)]) with
        {
            Output = new LlmOutput
            {
                Outcome = "0",
                ReasoningTokens = [new("The", -0.1, [new("The", -1000)])],
            },
        };

        // When its features are computed
        var f = Extractor.Extract(record);

        // Then the token has no usable alternatives: the entropy statistics are missing (not the 0 bits of a certain
        // token), while the sequence features, which read the token's own logprob, are present
        Assert.True(double.IsNaN(f[Ix.ReasoningEntropyMean]));
        Assert.True(double.IsNaN(f[Ix.ReasoningEntropyQ0]));
        Assert.Equal(0.1, f[Ix.ReasoningNll], 12);
        Assert.Equal(1, f[Ix.HasReasoning]);
    }

    [Fact]
    public void Extract_NoLogprobs_IsMissingNotCertain()
    {
        // Given an answer whose provider returned no alternatives (e.g. Claude)
        var record = Moderation("1", null);

        // When its features are computed
        var f = Extractor.Extract(record);

        // Then families A, B, C are missing (NaN) and has_logprobs says so: no logprobs must not look like certainty
        Assert.All([.. FamilyA, .. FamilyB, .. FamilyC], name => Assert.True(double.IsNaN(f[FeatureSchema.IndexOf(name)]), name));
        Assert.Equal(0, f[Ix.HasLogprobs]);
    }

    [Fact]
    public void Extract_OnlyFloorLogprobs_IsMissing()
    {
        var f = Extractor.Extract(Moderation("1", [new("1", -9999.0), new("0", double.NegativeInfinity)]));

        Assert.True(double.IsNaN(f[Ix.TopkMsp]));
        Assert.Equal(0, f[Ix.HasLogprobs]);
    }

    [Fact]
    public void Extract_NoAlternativeIsALabel_LabelMassIsZeroAndTheRestOfBMissing()
    {
        // Given alternatives that are all punctuation or other words
        var f = Extractor.Extract(Moderation("1", [new("\"", -0.1), new("Yes", -2.5)]));

        // Then the label mass is a real 0 and the renormalised label features are missing
        Assert.Equal(0, f[Ix.LabelMass]);
        Assert.True(double.IsNaN(f[Ix.LabelEntropy]));
        Assert.True(double.IsNaN(f[Ix.LabelProbOutcome]));
        Assert.True(double.IsNaN(f[Ix.LabelLogoddsMargin]));
        Assert.False(double.IsNaN(f[Ix.TopkMsp]));
    }

    [Fact]
    public void Extract_InvalidOutcome_AttributionMissingAndFlagged()
    {
        // Given an unparseable answer that still came with alternatives
        var f = Extractor.Extract(Moderation(null, [new("1", -0.7), new("0", -0.7)]));

        // Then G is missing, outcome_invalid is 1 and the probability of "the answered label" is missing
        Assert.True(double.IsNaN(f[Ix.AbstainAny]));
        Assert.Equal(1, f[Ix.OutcomeInvalid]);
        Assert.True(double.IsNaN(f[Ix.LabelProbOutcome]));
        Assert.Equal(1, f[Ix.TopkEntropy], Tolerance);
    }

    [Theory]
    [InlineData("2", 1, 0, 1)]
    [InlineData("3", 0, 1, 1)]
    [InlineData("0", 0, 0, 0)]
    public void Extract_Abstention_SetsItsAttribution(string outcome, double evidence, double definition, double any)
    {
        var f = Extractor.Extract(Moderation(outcome, null));

        Assert.Equal([evidence, definition, any], [f[Ix.AbstainEvidence], f[Ix.AbstainDefinition], f[Ix.AbstainAny]]);
        Assert.Equal(0, f[Ix.OutcomeInvalid]);
    }

    [Theory]
    [InlineData(72, 0.70)]
    [InlineData(72.5, 0.75)]
    [InlineData(73, 0.75)]
    [InlineData(0, 0)]
    [InlineData(100, 1)]
    public void Extract_VerbalizedConfidence_SnapsToTheNearestFive(double confidence, double expected)
    {
        var record = Moderation("1", null) with { Output = new LlmOutput { Outcome = "1", VerbalizedConfidence = confidence, Band = ConfidenceBand.M } };

        var f = Extractor.Extract(record);

        Assert.Equal(expected, f[Ix.VerbalizedConfidence], Tolerance);
        Assert.Equal([0.0, 0, 1, 0, 0], f.AsSpan(Ix.BandVl, 5).ToArray());
    }

    [Fact]
    public void Extract_LabelsDifferingOnlyInCase_MatchCaseSensitively()
    {
        // Given labels "a" and "A" (case matters) and alternatives "A" and " a"
        var record = new DecisionRecord
        {
            Id = "x",
            Schema = new LabelSchema(["a", "A"]),
            Output = new LlmOutput { Outcome = "A", OutcomeTopLogprobs = [new("A", Math.Log(0.6)), new(" a", Math.Log(0.3)), new("b", Math.Log(0.1))] },
        };

        // Then each maps to its own label: q = (0.6, 0.3) / 0.9 (hand calculation)
        var f = Extractor.Extract(record);
        Assert.Equal(0.9, f[Ix.LabelMass], 1e-12);
        Assert.Equal(0.6 / 0.9, f[Ix.LabelProbOutcome], 1e-12);
    }

    [Fact]
    public void Extract_TopKOne_KeepsOnlyTheBestAlternative()
    {
        // With k = 1 the renormalised top-k is a point mass: H = 0, H_norm = 0 (n = 1), p1 = 1, p2 = 0 (hand calculation)
        var extractor = new LppFeatureExtractor(new LppFeatureOptions { TopK = 1 });
        var f = extractor.Extract(Moderation("1", [new("1", -0.1), new("0", -2.4)]));

        AssertFamily(f, FamilyA, [0, 0, 1, 1, 1, 1, 1, 1e12]);
    }

    [Fact]
    public void Options_TopKBelowOne_IsRefusedWithTheRange()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new LppFeatureExtractor(new LppFeatureOptions { TopK = 0 }));
        Assert.Contains("top-k must be at least 1", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Defaults_ArePinned()
    {
        Assert.Equal(5, new LppFeatureOptions().TopK);
        Assert.Equal(1e-12, LppFeatureDefaults.Eps);
        Assert.Equal(-1000, LppFeatureDefaults.ZeroProbabilityLogprob);
    }

    [Fact]
    public void Extract_DestinationShorterThanTheSchema_IsRefusedWithBothLengths()
    {
        var e = Assert.Throws<ArgumentException>(() => Extractor.Extract(Moderation("1", null), new double[FeatureSchema.Count - 1]));

        Assert.StartsWith("destination holds 48 values, the schema has 49", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Extract_EmptyReasoningTokens_AreMissingNotZero()
    {
        // Given a reasoning token list that is present but empty
        var record = Moderation("1", null) with { Output = new LlmOutput { Outcome = "1", ReasoningTokens = [] } };

        // When its features are computed, then D and E are missing and has_reasoning says so
        var f = Extractor.Extract(record);
        Assert.Equal(0, f[Ix.HasReasoning]);
        Assert.True(double.IsNaN(f[Ix.ReasoningNll]));
        Assert.True(double.IsNaN(f[Ix.ReasoningProbQ0]));
    }

    [Fact]
    public void Extract_ReasoningTokenWithANonFiniteLogprob_HasProbabilityZero()
    {
        // Given one reasoning token whose logprob is NaN (non-finite: probability 0 by the extractor's convention)
        var record = Moderation("1", null) with { Output = new LlmOutput { Outcome = "1", ReasoningTokens = [new("The", double.NaN, null)] } };

        // When its features are computed
        var f = Extractor.Extract(record);

        // Then its probability is 0 and its surprise -ln(eps) = -ln(1e-12) = 27.6310211159... (hand calculation)
        Assert.Equal(27.631021115928547, f[Ix.ReasoningNll], 12);
        Assert.Equal(0, f[Ix.ReasoningProbQ0]);
        Assert.Equal(0, f[Ix.ReasoningProbQ0 + 4]);
    }

    [Fact]
    public void Extract_InvalidOutcomeWithABand_LeavesTheAttributionMissing()
    {
        // Given an unparseable answer that came with a confidence band (band_vh is the last band slot, abstain_evidence
        // the next feature)
        var record = Moderation(null, null) with { Output = new LlmOutput { Outcome = null, Band = ConfidenceBand.VH } };

        // When its features are computed, then the band is one-hot in its five slots and the attribution stays missing
        var f = Extractor.Extract(record);
        Assert.Equal([0.0, 0, 0, 0, 1], f.AsSpan(Ix.BandVl, 5).ToArray());
        Assert.True(double.IsNaN(f[Ix.AbstainEvidence]));
        Assert.Equal(1, f[Ix.HasBand]);
    }

    [Fact]
    public void Extract_OneLabelSchema_SecondLabelMassIsEps()
    {
        // Given a schema with one label "a", answered "a", alternatives a (p 0.8) and b (p 0.2, no label)
        var record = new DecisionRecord
        {
            Id = "x",
            Schema = new LabelSchema(["a"]),
            Output = new LlmOutput { Outcome = "a", OutcomeTopLogprobs = [new("a", Math.Log(0.8)), new("b", Math.Log(0.2))] },
        };

        // When its features are computed
        var f = Extractor.Extract(record);

        // Then (hand calculation) the label mass is 0.8, renormalised over one label q = (1): entropy 0, margin 1; the
        // label log-odds use eps for the missing second label: m2 - m1 = ln(1e-12) - ln(0.8) = -27.40787756461434,
        // normalised by m2: 0.991924165582662
        Assert.Equal(0.8, f[Ix.LabelMass], 12);
        Assert.Equal(1, f[Ix.LabelProbOutcome], 12);
        Assert.Equal(0, f[Ix.LabelEntropy]);
        Assert.Equal(-27.40787756461434, f[Ix.LabelLogoddsMargin], 12);
        Assert.Equal(0.991924165582662, f[Ix.LabelLogoddsMarginNorm], 12);
    }

    [Fact]
    public void Extract_TwoAlternativesBothAtLogprobZero_NormalisedMarginsAreZeroNotNaN()
    {
        // Given a malformed answer whose two alternatives (labels 0 and 1) both claim probability 1 (logprob 0)
        var f = Extractor.Extract(Moderation("0", [new("0", 0), new("1", 0)]));

        // Then the log-odds margins are 0 and their normalised forms, 0 / 0, are defined as 0; the label mass is capped at 1
        Assert.Equal([0.0, 0, 0, 0], [f[Ix.LogoddsMargin], f[Ix.LogoddsMarginNorm], f[Ix.LabelLogoddsMargin], f[Ix.LabelLogoddsMarginNorm]]);
        Assert.Equal(1, f[Ix.LabelMass]);
        Assert.Equal(1, f[Ix.TopkEntropy], 12);
    }

    [Fact]
    public void Extract_AllRealDatasets_FamiliesPresentExactlyWhereTheirSignalsAre()
    {
        // Given every record of the 12 real datasets
        foreach (var file in SharedData.LlmConfidenceFiles())
        {
            foreach (var record in DecisionRecordReader.ReadValid(file))
            {
                // When features are computed
                var f = Extractor.Extract(record);

                // Then A is present iff logprobs are, every present value is finite, and flags are 0/1
                var hasLogprobs = record.Output.OutcomeTopLogprobs is { Count: > 0 };
                Assert.Equal(hasLogprobs ? 1 : 0, f[Ix.HasLogprobs]);
                Assert.Equal(hasLogprobs, !double.IsNaN(f[Ix.TopkMsp]));
                Assert.Equal(record.Output.VerbalizedConfidence is not null, !double.IsNaN(f[Ix.VerbalizedConfidence]));
                Assert.All(f, v => Assert.True(double.IsNaN(v) || double.IsFinite(v)));
                if (hasLogprobs)
                {
                    Assert.InRange(f[Ix.TopkMsp], 0.0, 1.0);
                    Assert.InRange(f[Ix.LabelMass], 0.0, 1.0);
                }
            }
        }
    }

    [Fact]
    public void Extract_NullRecord_ThrowsNamingIt()
    {
        // Both overloads refuse a null record by name rather than failing inside with a NullReferenceException
        Assert.Equal("record", Assert.Throws<ArgumentNullException>(() => Extractor.Extract(null!)).ParamName);
        Assert.Equal("record", Assert.Throws<ArgumentNullException>(() => Extractor.Extract(null!, new double[FeatureSchema.Count])).ParamName);
    }

    [Fact]
    public void Extract_VerbalizedConfidencePresentOrNot_FlagsIt()
    {
        // Given the same answer with and without a verbalized confidence
        var with = Extractor.Extract(Moderation("1", null) with { Output = new LlmOutput { Outcome = "1", VerbalizedConfidence = 0.8 } });
        var without = Extractor.Extract(Moderation("1", null) with { Output = new LlmOutput { Outcome = "1" } });

        // Then has_verbalized is 1 and 0: an absent confidence is flagged as absent, not as present
        Assert.Equal(1, with[Ix.HasVerbalized]);
        Assert.Equal(0, without[Ix.HasVerbalized]);
        Assert.True(double.IsNaN(without[Ix.VerbalizedConfidence]));
    }

    [Fact]
    public void Extract_AlternativesInAnyOrder_GiveTheSameFeatures()
    {
        // Given top-k 2 and the same four decision alternatives and three reasoning alternatives, once most probable
        // first (as providers send them) and once least probable first
        var extractor = new LppFeatureExtractor(new LppFeatureOptions { TopK = 2 });
        TokenLogprob[] decision = [new("1", Math.Log(0.6)), new("0", Math.Log(0.25)), new("2", Math.Log(0.1)), new("3", Math.Log(0.05))];
        TokenLogprob[] reasoning = [new("The", Math.Log(0.5)), new("This", Math.Log(0.3)), new("A", Math.Log(0.2))];
        DecisionRecord Record(TokenLogprob[] d, TokenLogprob[] r) => Moderation("1", d) with
        {
            Output = new LlmOutput { Outcome = "1", OutcomeTopLogprobs = d, ReasoningTokens = [new("The", Math.Log(0.5), r)] },
        };

        // When the features of both are computed
        var sorted = extractor.Extract(Record(decision, reasoning));
        var reversed = extractor.Extract(Record([.. decision.Reverse()], [.. reasoning.Reverse()]));

        // Then they are equal: the top 2 are the two most probable wherever they stand, so the decision token's top-k
        // entropy is that of (0.6, 0.25) renormalised and the reasoning token's that of (0.5, 0.3) (hand calculation:
        // H(p) = -p log2 p - (1 - p) log2(1 - p) with p = 0.6/0.85 and 0.5/0.8)
        Assert.Equal(sorted, reversed);
        static double H(double p) => -(p * Math.Log2(p)) - ((1 - p) * Math.Log2(1 - p));
        Assert.Equal(H(0.6 / 0.85), sorted[Ix.TopkEntropy], 12);
        Assert.Equal(H(0.5 / 0.8), sorted[Ix.ReasoningEntropyMean], 12);
    }

    [Fact]
    public void Extract_ReasoningTokenWithMoreThan64Alternatives_UsesThemAll()
    {
        // Given top-k 100 and a reasoning token with 100 equally likely alternatives (more than the stack buffer holds)
        var extractor = new LppFeatureExtractor(new LppFeatureOptions { TopK = 100 });
        var alternatives = Enumerable.Range(0, 100).Select(i => new TokenLogprob($"t{i}", Math.Log(0.01))).ToArray();
        var record = Moderation("1", null) with { Output = new LlmOutput { Outcome = "1", ReasoningTokens = [new("t0", Math.Log(0.01), alternatives)] } };

        // When its features are computed, then the entropy is that of 100 equal choices, log2(100) bits (closed form)
        Assert.Equal(Math.Log2(100), extractor.Extract(record)[Ix.ReasoningEntropyMean], 12);
    }

    [Fact]
    public void Extract_HugeTopKAndManyLabels_DoNotOverflowTheStack()
    {
        // Given top-k int.MaxValue (the options and a model file's features.top_k accept any whole number from 1; the
        // command line stops at 20) and a record whose schema has 400,000 labels (a record's schema comes from its
        // file): buffers sized by either would overflow the stack
        var extractor = new LppFeatureExtractor(new LppFeatureOptions { TopK = int.MaxValue });
        var labels = Enumerable.Range(0, 400_000).Select(i => $"l{i}").ToArray();
        var record = new DecisionRecord
        {
            Id = "x",
            Schema = new LabelSchema(labels),
            Output = new LlmOutput
            {
                Outcome = "l0",
                OutcomeTopLogprobs = [new("l0", Math.Log(0.75)), new("l1", Math.Log(0.25))],
                ReasoningTokens = [new("a", Math.Log(0.5), [new("a", Math.Log(0.5)), new("b", Math.Log(0.5))])],
            },
        };

        // When its features are computed, then they are those of the two alternatives: label_prob_outcome 0.75 and a
        // reasoning entropy of 1 bit (hand calculation)
        var f = extractor.Extract(record);
        Assert.Equal(0.75, f[Ix.LabelProbOutcome], 12);
        Assert.Equal(1, f[Ix.ReasoningEntropyMean], 12);
    }

    private static DecisionRecord Moderation(string? outcome, TokenLogprob[]? alternatives) => new()
    {
        Id = "item/H",
        Schema = LabelSchema.Moderation,
        Output = new LlmOutput { Outcome = outcome, OutcomeTopLogprobs = alternatives },
        Truth = "1",
    };

    private static void AssertFamily(double[] f, string[] names, double[] expected)
    {
        Assert.Equal(names.Length, expected.Length);
        for (var i = 0; i < names.Length; i++)
        {
            var actual = f[FeatureSchema.IndexOf(names[i])];
            var tolerance = Tolerance * Math.Max(1, Math.Abs(expected[i]));
            Assert.True(Math.Abs(actual - expected[i]) <= tolerance, $"{names[i]}: expected {expected[i]:R}, got {actual:R}");
        }
    }
}
