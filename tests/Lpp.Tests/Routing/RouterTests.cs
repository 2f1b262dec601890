namespace Lpp.Tests;

public sealed class RouterTests
{
    [Theory]
    [InlineData("2", 95, "abstain_evidence", "senior_review")]
    [InlineData("3", 95, "abstain_definition", "policy_review")]
    [InlineData(null, 95, "invalid_output", "review")]
    [InlineData("banana", 95, "invalid_output", "review")]
    [InlineData("2", 50, "abstain_evidence", "senior_review")]
    [InlineData("3", 50, "abstain_definition", "policy_review")]
    [InlineData(null, 50, "invalid_output", "review")]
    public void Route_AbstentionOrInvalidScoringAtOrAboveTau_IsEscalatedToItsQueue(string? outcome, double confidence, string reason, string queue)
    {
        // Given a hand-written model (score = 1 / (1 + exp(-(v - 0.5))), tau 0.5) and an answer that abstains or cannot
        // be parsed but whose verbalized confidence scores at (v = 0.5: exactly 0.5) or above (v = 0.95: 0.61) tau
        var router = new Router(HandModels.Verbalized(tau: 0.5));
        var record = Moderation(outcome, confidence);

        // When it is routed
        var routed = router.Route(record);

        // Then the score clears tau, yet the abstention or invalid output decides: escalated, to its own queue
        Assert.Equal(HandModels.VerbalizedScore(confidence / 100), routed.Score, 15);
        Assert.True(routed.Score >= routed.Tau);
        Assert.False(routed.Trust);
        Assert.Equal(reason, Queues.ReasonName(routed.Reason));
        Assert.Equal(queue, routed.Queue);
    }

    [Fact]
    public void Route_RecordWithoutAnAnswer_EscalatesWithReasonNoAnswer()
    {
        // Given a record whose call failed (no answer), parsed from the line lpp infer writes, and the hand model (no
        // ../shared), which would score it at its imputed median, 0.5
        var router = new Router(HandModels.Verbalized(tau: 0.5));
        var record = new DecisionRecordParser().Parse("""{"id":"a/H","labels":["0","1"],"abstain_labels":{"2":"evidence","3":"definition"},"output":{"outcome":null,"raw_answer":null},"truth":"1","error":"cannot reach api.openai.com: name not resolved","error_kind":"transport","response":null}"""u8);

        var routed = router.Route(record);

        Assert.False(routed.Trust);
        Assert.Equal("no_answer", Queues.ReasonName(routed.Reason));
        Assert.Equal(Queues.Review, routed.Queue);
    }

    [Fact]
    public void Route_ScoreExactlyAtTau_IsTrusted()
    {
        // Given the hand model and a plain answer with v = 0.5: ridge decision 0.5 - 0.5 = 0, Platt 1 / (1 + e^0) = 0.5 exactly
        var router = new Router(HandModels.Verbalized(tau: 0.5));

        // When it is routed
        var routed = router.Route(Moderation("1", 50));

        // Then score == tau, and trust is "score >= tau"
        Assert.Equal(0.5, routed.Score);
        Assert.True(routed.Trust);
        Assert.Equal("confident", Queues.ReasonName(routed.Reason));
        Assert.Equal("auto", routed.Queue);
    }

    [Theory]
    [InlineData(95, true, "auto")]
    [InlineData(45, false, "review")]
    public void Route_PlainAnswer_TrustedIffScoreClearsTau(double confidence, bool trusted, string queue)
    {
        // Given the hand model with tau 0.5: v = 0.95 scores 0.61, v = 0.45 scores 0.4875
        var router = new Router(HandModels.Verbalized(tau: 0.5));

        // When a plain answer is routed
        var routed = router.Route(Moderation("0", confidence));

        // Then it is trusted above tau and escalated to the ordinary review queue below it
        Assert.Equal(HandModels.VerbalizedScore(confidence / 100), routed.Score, 15);
        Assert.Equal(trusted, routed.Trust);
        Assert.Equal(trusted ? "confident" : "low_confidence", Queues.ReasonName(routed.Reason));
        Assert.Equal(queue, routed.Queue);
        Assert.Equal(0.5, routed.Tau);
        Assert.Equal("0", routed.Outcome);
        Assert.Equal("x", routed.Id);
    }

    [Fact]
    public void Route_HandModel_ContributionsAreTheThreeLargestCoefficientTimesValue()
    {
        // Given a hand model over four features with coefficients 3, -2, 1, 0.5 (mean 0, scale 1) and a feature vector
        // topk_msp 0.5, label_mass 1, verbalized_confidence 0.9, abstain_any missing (imputed with its median 0.4)
        var model = HandModels.Linear(["topk_msp", "label_mass", "verbalized_confidence", "abstain_any"], [3, -2, 1, 0.5], [0.7, 0.5, 0.5, 0.4], tau: 0.5);
        var features = Enumerable.Repeat(double.NaN, FeatureSchema.Count).ToArray();
        features[FeatureSchema.IndexOf("topk_msp")] = 0.5;
        features[FeatureSchema.IndexOf("label_mass")] = 1;
        features[FeatureSchema.IndexOf("verbalized_confidence")] = 0.9;

        // When the record is routed with these features
        var routed = new Router(model).Route(Moderation("1", 90), features);

        // Then (hand calculation) the contributions are 1.5, -2, 0.9, 0.2: the top three by magnitude, largest first,
        // and the score is 1 / (1 + exp(-(1.5 - 2 + 0.9 + 0.2))) = 1 / (1 + e^-0.6) = 0.6457, trusted at tau 0.5
        Assert.Equal(["label_mass", "topk_msp", "verbalized_confidence"], routed.Contributions.Select(c => c.Feature));
        Assert.Equal([-2, 1.5, 0.9], routed.Contributions.Select(c => Math.Round(c.LinearTerm, 12)));
        Assert.Equal(1 / (1 + Math.Exp(-0.6)), routed.Score, 12);
        Assert.True(routed.Trust);
    }

    [Fact]
    public void Route_HandModelWithFewerThanThreeFeatures_ListsEachOnce()
    {
        // Given the one-feature hand model, when a plain answer with v = 0.95 is routed
        var routed = new Router(HandModels.Verbalized(tau: 0.5)).Route(Moderation("1", 95));

        // Then its one contribution is coefficient 1 times the standardised value 0.95
        var only = Assert.Single(routed.Contributions);
        Assert.Equal("verbalized_confidence", only.Feature);
        Assert.Equal(0.95, only.LinearTerm, 12);
    }

    [Fact]
    public void Route_ContributionOfExactlyZero_IsStillListed()
    {
        // Given the one-feature hand model and v = 0: coefficient 1 times 0 is a contribution of exactly 0
        var routed = new Router(HandModels.Verbalized(tau: 0.5)).Route(Moderation("1", 0));

        // Then the feature is still listed (a model with fewer than three features lists each of them)
        var only = Assert.Single(routed.Contributions);
        Assert.Equal(("verbalized_confidence", 0.0), (only.Feature, only.LinearTerm));
    }

    [Fact]
    public void Route_EqualContributions_KeepSchemaOrder()
    {
        // Given two features with the same coefficient and value: contributions 0.5 and 0.5 (hand calculation)
        var model = HandModels.Linear(["topk_msp", "verbalized_confidence"], [1, 1], [0, 0], tau: 0.5);
        var features = Enumerable.Repeat(double.NaN, FeatureSchema.Count).ToArray();
        features[FeatureSchema.IndexOf("topk_msp")] = 0.5;
        features[FeatureSchema.IndexOf("verbalized_confidence")] = 0.5;

        // When routed, then the tie keeps the first feature first
        var routed = new Router(model).Route(Moderation("1", 50), features);
        Assert.Equal(["topk_msp", "verbalized_confidence"], routed.Contributions.Select(c => c.Feature));
    }

    [Fact]
    public void Route_CollinearPairWithOppositeTerms_IsOneContributionWithTheSummedTerm()
    {
        // Given a hand model over four features (mean 0, scale 1, so a present value is its standardised value) with
        // coefficients topk_msp 0.3, logodds_margin 2, label_logodds_margin -1.5, verbalized_confidence 1, the two
        // margins grouped as one signal, and the values 1, 1, 1, 0.9
        string[] names = ["topk_msp", "logodds_margin", "label_logodds_margin", "verbalized_confidence"];
        var ungrouped = HandModels.Linear(names, [0.3, 2, -1.5, 1], [0, 0, 0, 0], tau: 0.5);
        var grouped = ungrouped.WithContributionGroups(new ContributionGroups(0.95, [new ContributionGroup("margin", ["logodds_margin", "label_logodds_margin"], [1, 1])]));
        var features = Enumerable.Repeat(double.NaN, FeatureSchema.Count).ToArray();
        features[FeatureSchema.IndexOf("topk_msp")] = 1;
        features[FeatureSchema.IndexOf("logodds_margin")] = 1;
        features[FeatureSchema.IndexOf("label_logodds_margin")] = 1;
        features[FeatureSchema.IndexOf("verbalized_confidence")] = 0.9;

        // When the record is routed with and without the group
        var perFeature = new Router(ungrouped).Route(Moderation("1", 90), features);
        var perGroup = new Router(grouped).Route(Moderation("1", 90), features);

        // Then (hand calculation) per feature the margins take two slots with opposite signs: +2, -1.5, then 0.9;
        // per group they are one contribution of 2 - 1.5 = 0.5, after verbalized_confidence 0.9, before topk_msp 0.3
        Assert.Equal(["logodds_margin", "label_logodds_margin", "verbalized_confidence"], perFeature.Contributions.Select(c => c.Feature));
        Assert.Equal([2, -1.5, 0.9], perFeature.Contributions.Select(c => Math.Round(c.LinearTerm, 12)));
        Assert.Equal(["verbalized_confidence", "margin (logodds_margin, label_logodds_margin)", "topk_msp"], perGroup.Contributions.Select(c => c.Feature));
        Assert.Equal([0.9, 0.5, 0.3], perGroup.Contributions.Select(c => Math.Round(c.LinearTerm, 12)));
        Assert.Equal(["logodds_margin", "label_logodds_margin"], perGroup.Contributions[1].Members);
        Assert.Equal(["topk_msp"], perGroup.Contributions[2].Members);

        // and grouping changes what is reported, never the score: 1 / (1 + exp(-(0.3 + 2 - 1.5 + 0.9)))
        Assert.Equal(1 / (1 + Math.Exp(-1.7)), perGroup.Score, 12);
        Assert.Equal(perFeature.Score, perGroup.Score);
    }

    [Fact]
    public void Route_GroupsOfAnOlderModel_AreEachFeatureOnItsOwn()
    {
        // Given a model without contribution groups (as read from a file written before they existed)
        var routed = new Router(HandModels.Linear(["topk_msp", "label_msp"], [1, 1], [0, 0], tau: 0.5)).Route(Moderation("1", 50));

        // Then each contribution is one feature, listed as its own only member
        Assert.All(routed.Contributions, c => Assert.Equal([c.Feature], c.Members));
    }

    [Theory]
    [InlineData("csam", 95, false, 0.9936)]
    [InlineData("spam", 95, true, 0.55)]
    [InlineData("spam", 60, false, 0.55)]
    [InlineData("violence", 60, true, 0.5)]
    [InlineData("violence", 45, false, 0.5)]
    public void Route_LearnedPolicyWithCosts_EachItemAtTheThresholdOfItsCosts(string concept, double confidence, bool trusted, double tau)
    {
        // Given the hand model (tau 0.5 at its own costs, paper form c_error 1, c_review 0.64) and costs by concept:
        // csam c_error 50 (closed form 1 - (0.64 / 50) / 2 = 0.9936), spam c_review 0.9 (1 - 0.9 / 2 = 0.55), and the
        // model's own costs as the default (its tau, 0.5)
        var router = new Router(HandModels.Verbalized(tau: 0.5), PaperCosts);

        // When an item of that concept is routed (v = 0.95 scores 0.6106, v = 0.6 0.5250, v = 0.45 0.4875)
        var routed = router.Route(Moderation("1", confidence) with { Source = Concept(concept) });

        // Then it is decided at its own threshold, and the decision says which costs applied
        Assert.Equal(tau, routed.Tau, 12);
        Assert.Equal(trusted, routed.Trust);
        Assert.Equal(trusted ? "auto" : "review", routed.Queue);
        Assert.Equal(concept == "violence" ? SeverityCosts.DefaultGroup : concept, routed.CostGroup);
        Assert.Equal(PaperCosts.For(Concept(concept), out _), routed.Costs);
    }

    [Fact]
    public void Route_ModelCarryingCosts_RoutesWithThemUnlessGivenOthers()
    {
        // Given the hand model carrying the costs by concept, and a csam item scoring 0.6106 (v = 0.95)
        var model = HandModels.Verbalized(tau: 0.5).WithSeverityCosts(PaperCosts);
        var record = Moderation("1", 95) with { Source = Concept("csam") };

        // When routed by a router given no costs, then the model's own costs apply: escalated at 0.9936
        var routed = new Router(model).Route(record);
        Assert.Equal(("csam", 0.9936, false), (routed.CostGroup, Math.Round(routed.Tau, 12), routed.Trust));

        // and a router given other costs (csam c_error 1, c_review 0.2: 1 - 0.2 / 2 = 0.9) uses those
        var other = SeverityCosts.Parse("""{"default": {"c_error": 1, "c_review": 0.64}, "by": "concept", "values": {"csam": {"c_error": 1, "c_review": 0.2}}}"""u8, CostForm.Paper);
        Assert.Equal(0.9, new Router(model, other).Route(record).Tau, 12);
    }

    [Theory]
    [InlineData(PolicyKind.AlwaysTrust, null, 30, true)]
    [InlineData(PolicyKind.EscalateEverything, null, 95, false)]
    [InlineData(PolicyKind.AlwaysTrust, "violence", 30, true)]
    [InlineData(PolicyKind.EscalateEverything, "violence", 95, false)]
    [InlineData(PolicyKind.AlwaysTrust, "csam", 95, false)]
    [InlineData(PolicyKind.EscalateEverything, "spam", 95, true)]
    public void Route_SimplePolicy_DecidesAtItsOwnCostsAndOtherCostsReadTheScore(PolicyKind kind, string? concept, double confidence, bool trusted)
    {
        // Given the hand model deploying a simple policy, with no costs by severity (concept null) or the costs by
        // concept above, whose default is the model's own
        var model = WithPolicy(HandModels.Verbalized(tau: 0.5), kind);
        var router = concept is null ? new Router(model) : new Router(model, PaperCosts);

        // When an item is routed (v = 0.95 scores 0.6106, v = 0.3 0.4502)
        var routed = router.Route(Moderation("1", confidence) with { Source = concept is null ? SourceAttributes.Empty : Concept(concept) });

        // Then at the model's own costs the policy decides (always trust below tau, escalate everything above it), and
        // other costs decide by the learned score at their closed-form threshold: csam 0.9936 escalates 0.6106, spam
        // 0.55 trusts it; a simple policy lists no contributions
        Assert.Equal(trusted, routed.Trust);
        Assert.Equal(HandModels.VerbalizedScore(confidence / 100), routed.Score, 15);
        Assert.Empty(routed.Contributions);
    }

    [Theory]
    [InlineData(50, true)]
    [InlineData(45, false)]
    public void Route_SimplePolicyScoreExactlyAtTheThresholdOfOtherCosts_IsTrusted(double confidence, bool trusted)
    {
        // Given the hand model escalating everything, and absolute-form costs (so not the model's paper-form ones) with
        // c_error 1, c_review 0.5: closed-form threshold 1 - 0.5 = 0.5, which v = 0.5 scores exactly (1 / (1 + e^0))
        var model = WithPolicy(HandModels.Verbalized(tau: 0.5), PolicyKind.EscalateEverything);
        var costs = SeverityCosts.Parse("""{"default": {"c_error": 1, "c_review": 0.5}}"""u8, CostForm.Absolute);

        // When routed, then the score is compared as score >= tau
        var routed = new Router(model, costs).Route(Moderation("1", confidence));
        Assert.Equal(0.5, routed.Tau, 15);
        Assert.Equal(trusted, routed.Trust);
    }

    [Fact]
    public void Route_NullRecord_Throws()
    {
        var router = new Router(HandModels.Verbalized(tau: 0.5));

        Assert.Throws<ArgumentNullException>(() => router.Route(null!));
        Assert.Throws<ArgumentNullException>(() => router.Route(null!, new double[FeatureSchema.Count]));
        Assert.Throws<ArgumentNullException>(() => router.Decide(null!, new double[FeatureSchema.Count], out _));
        Assert.Throws<ArgumentNullException>(() => new Router(null!));
    }

    [Theory]
    [InlineData("1", 95, "confident")] // 0.6106 against tau 0.6
    [InlineData("1", 55, "low_confidence")] // 0.5125
    [InlineData("2", 95, "abstain_evidence")]
    [InlineData(null, 95, "invalid_output")]
    public void Decide_HandModel_ReasonAndScoreWithoutTheDecision(string? outcome, double confidence, string reason)
    {
        // Given the hand model at tau 0.6 (score = 1 / (1 + exp(-(v - 0.5))))
        var router = new Router(HandModels.Verbalized(tau: 0.6));
        var record = Moderation(outcome, confidence);
        var features = new double[FeatureSchema.Count];
        router.Model.CreateExtractor().Extract(record, features);

        // When it decides from the record's features
        var decided = router.Decide(record, features, out var score);

        // Then the score is the formula's and the reason the one written beside each case
        Assert.Equal(HandModels.VerbalizedScore(confidence / 100), score, 15);
        Assert.Equal(reason, Queues.ReasonName(decided));
    }

    [Fact]
    public void Decide_SeverityCosts_EachItemAtTheThresholdOfItsOwnCosts()
    {
        // Given the hand model at tau 0.6 (its own costs, the default entry) with spam at c_review 0.99 of c_error 1,
        // whose closed-form threshold is 1 - 0.99 / 2 = 0.505 (paper form)
        var costs = SeverityCosts.Parse(System.Text.Encoding.UTF8.GetBytes("""{"default": {"c_error": 1, "c_review": 0.64}, "by": "concept", "values": {"spam": {"c_error": 1, "c_review": 0.99}}}"""), CostForm.Paper);
        var router = new Router(HandModels.Verbalized(tau: 0.6), costs);
        var plain = Moderation("1", 55);
        var spam = plain with { Source = new Dictionary<string, string> { ["concept"] = "spam" } };
        var features = new double[FeatureSchema.Count];
        router.Model.CreateExtractor().Extract(plain, features);

        // When both score 1 / (1 + exp(-0.05)) = 0.5125 (v = 0.55) and are decided
        var decidedPlain = router.Decide(plain, features, out _);
        var decidedSpam = router.Decide(spam, features, out _);

        // Then the plain item is escalated at 0.6 and the spam item trusted at 0.505
        Assert.Equal(RoutingReason.LowConfidence, decidedPlain);
        Assert.Equal(RoutingReason.Confident, decidedSpam);
    }

    // Costs by concept in the paper's form: the default is the hand model's own cost model.
    private static readonly SeverityCosts PaperCosts = SeverityCosts.Parse(
        """{"default": {"c_error": 1, "c_review": 0.64}, "by": "concept", "values": {"csam": {"c_error": 50, "c_review": 0.64}, "spam": {"c_error": 1, "c_review": 0.9}}}"""u8,
        CostForm.Paper);

    private static SourceAttributes Concept(string value) => new([KeyValuePair.Create("concept", value)]);

    private static EscalationModel WithPolicy(EscalationModel m, PolicyKind kind) =>
        new(m.Recipe, m.FeatureNames, m.TopK, m.Imputer, m.Scaler, m.Ensemble, m.LogisticRegression, m.Tau, m.Cost, m.Baselines, m.Provenance, m.Options) { Policy = new DeploymentPolicy { Kind = kind } };

    private static DecisionRecord Moderation(string? outcome, double confidence) => new()
    {
        Id = "x",
        Schema = LabelSchema.Moderation,
        Output = new LlmOutput { Outcome = outcome, OutcomeTopLogprobs = [new("0", -0.001), new("1", -7)], VerbalizedConfidence = confidence },
    };
}
