namespace Lpp.Tests;

public sealed class DeploymentPolicyTests
{
    [Fact]
    public void Fit_UninformativeSignals_DeploysAlwaysTrust()
    {
        // Given 400 answers, 40 wrong, whose signals say nothing about being right: no learned candidate can be
        // reliably cheaper than trusting every answer (cost 40 against 216 for escalating everything, paper form)
        var records = Uninformative(seed: 7, wrong: i => i % 10 == 0);

        // When the default recipe trains
        var model = new EscalationTrainer().Fit(TrainingSet.From(records, new LppFeatureExtractor()));

        // Then it deploys always-trust, says why, and the router trusts every answer whatever its learned score
        var policy = model.Policy;
        Assert.Equal(PolicyKind.AlwaysTrust, policy.Kind);
        Assert.Equal("always_trust", policy.Simple);
        Assert.Equal(40, policy.SimpleCost, 9);
        Assert.True(policy.ProbabilityLearnedCheaper < 0.9, $"P(cheaper) {policy.ProbabilityLearnedCheaper}");
        Assert.Equal(1000, policy.Draws);
        var router = new Router(model);
        Assert.All(records, r => Assert.True(router.Route(r).Trust));
        Assert.All(records, r => Assert.Empty(router.Route(r).Contributions));

        // And the training profile describes that policy, not the learned model: nothing escalated out of fold, and
        // the error rate among the trusted is the whole set's, 40 of 400 (by hand)
        Assert.Equal(0, model.Profile!.EscalationRatio);
        Assert.Equal(0.1, model.Profile.TrustedErrorRate, 12);
    }

    [Fact]
    public void Fit_MostAnswersWrongAndUninformativeSignals_DeploysEscalateEverything()
    {
        // Given 400 answers, 300 wrong, whose signals say nothing about being right
        var records = Uninformative(seed: 11, wrong: i => i % 4 != 0);

        // When the default recipe trains
        var model = new EscalationTrainer().Fit(TrainingSet.From(records, new LppFeatureExtractor()));

        // Then the policy compared with is escalate-everything, at its hand-computed cost in the paper's form
        // (300 wrong × (0.64 − 1) + 100 right × 0.64 = −44), and it is deployed: the learned model is not reliably cheaper
        var policy = model.Policy;
        Assert.Equal("escalate_everything", policy.Simple);
        Assert.Equal(-44, policy.SimpleCost, 9);
        Assert.Equal(PolicyKind.EscalateEverything, policy.Kind);
        var router = new Router(model);
        Assert.All(records, r => Assert.False(router.Route(r).Trust));

        // And the training profile says so: everything escalated, no trusted item to have an error rate
        Assert.Equal(1, model.Profile!.EscalationRatio);
        Assert.True(double.IsNaN(model.Profile.TrustedErrorRate));
    }

    [Fact]
    public void Fit_GptBoolq_DeploysTheLearnedModelOnlyWhenReliablyCheaper()
    {
        // Given the default recipe on gpt-4o/boolq (3,270 records)
        var model = TrainedModels.GptBoolqDefault;
        var policy = model.Policy;

        // Then the comparison is recorded and decided by the 90% rule; the learned candidate is chosen on expected cost
        Assert.Equal("expected_cost", model.Provenance.CvMetric);
        Assert.Equal(policy.LearnedCost, model.Provenance.CvScore, 9);
        Assert.Equal(0.9, policy.RequiredProbability);
        Assert.Equal(policy.ProbabilityLearnedCheaper >= 0.9, policy.IsLearned);
        Assert.InRange(policy.ProbabilityLearnedCheaper, 0, 1);
        Assert.Contains(model.Provenance.TopCv, r => r.Configuration.Contains("logistic regression", StringComparison.Ordinal) || r.Configuration.Contains("alpha=", StringComparison.Ordinal));

        // And the learned candidate is held against a policy that learns nothing, never against a signal whose
        // threshold was searched on the training data (such thresholds are not candidates; a single signal is one as a
        // calibrated one-feature model)
        Assert.Contains(policy.Simple, new[] { "always_trust", "escalate_everything" });
        Assert.DoesNotContain(model.Provenance.TopCv, r => r.Configuration.Contains("at its threshold", StringComparison.Ordinal));
        // (candidates: ridge at 5 alphas × 2 calibrations, logistic regression at 4 C, 4 single signals, 2 simple policies)
        Assert.Equal(10 + 4 + 4 + 2, model.Provenance.ConfigurationsEvaluated);
    }

    [Fact]
    public void Trusts_EachKind_FollowsItsRule()
    {
        // Given a record's features with MSP 0.8 and a learned score of 0.5 against tau 0.68
        var features = new double[FeatureSchema.Count];
        Array.Fill(features, double.NaN);
        features[FeatureSchema.IndexOf("topk_msp")] = 0.8;
        var msp = BaselineThreshold.Signals[0];

        // Then each policy decides by its own rule
        Assert.False(DeploymentPolicy.LearnedModel.Trusts(features, 0.5, 0.68));
        Assert.True(DeploymentPolicy.LearnedModel.Trusts(features, 0.68, 0.68));
        Assert.True(new DeploymentPolicy { Kind = PolicyKind.AlwaysTrust }.Trusts(features, 0.1, 0.68));
        Assert.False(new DeploymentPolicy { Kind = PolicyKind.EscalateEverything }.Trusts(features, 0.99, 0.68));
        Assert.True(new DeploymentPolicy { Kind = PolicyKind.Signal, Signal = msp with { Tau = 0.75 } }.Trusts(features, 0.1, 0.68));
        Assert.False(new DeploymentPolicy { Kind = PolicyKind.Signal, Signal = msp with { Tau = 0.85 } }.Trusts(features, 0.99, 0.68));

        // And a missing signal is escalated, never read as a value
        features[FeatureSchema.IndexOf("topk_msp")] = double.NaN;
        Assert.False(new DeploymentPolicy { Kind = PolicyKind.Signal, Signal = msp with { Tau = 0 } }.Trusts(features, 0.99, 0.68));
    }

    [Theory]
    [InlineData(PolicyKind.Learned, "learned")]
    [InlineData(PolicyKind.AlwaysTrust, "always_trust")]
    [InlineData(PolicyKind.EscalateEverything, "escalate_everything")]
    [InlineData(PolicyKind.Signal, "signal")]
    public void PolicyKinds_NameAndParse_RoundTrip(PolicyKind kind, string name)
    {
        Assert.Equal(name, kind.Name());
        Assert.Equal(kind, PolicyKinds.Parse(name));
    }

    [Fact]
    public void PolicyKinds_Parse_UnknownNameIsRefused()
    {
        var e = Assert.Throws<FormatException>(() => PolicyKinds.Parse("trust_some"));
        Assert.Equal("policy 'trust_some' is not one of learned, always_trust, escalate_everything, signal", e.Message);
    }

    /// <summary>400 answers "1" whose signals are random (say nothing about being right); record i is wrong when <paramref name="wrong"/> says so.</summary>
    private static List<DecisionRecord> Uninformative(int seed, Func<int, bool> wrong)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, 400).Select(i => new DecisionRecord
        {
            Id = $"r{i}",
            Schema = LabelSchema.Moderation,
            Output = new LlmOutput
            {
                Outcome = "1",
                VerbalizedConfidence = 50 + (5 * random.Next(10)),
                OutcomeTopLogprobs = [new("1", -0.01 - random.NextDouble()), new("0", -1.5 - random.NextDouble())],
            },
            Truth = wrong(i) ? "0" : "1",
        }).ToList();
    }
}
