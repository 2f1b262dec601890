namespace Lpp.Tests;

public sealed class TrustGuaranteeTests
{
    [Theory]
    [InlineData(0.05)]
    [InlineData(0.10)]
    public void Fit_MaxTrustedError_DeploysTheLargerThresholdWithItsBound(double maxError)
    {
        // Given gpt-4o/boolq and a guarantee on the error rate among trusted items
        var options = new EscalationTrainerOptions { MaxTrustedError = maxError };
        var model = TrainedModels.Train("data/llm-confidence/gpt-4o/boolq.jsonl", Recipe.Default, options);
        var g = model.Guarantee!;

        // Then 30% (981 of 3,270, stratified) calibrates the threshold and the rest trains
        Assert.Equal(981, g.CalibrationRecords);
        Assert.Equal(3270 - 981, model.Provenance.Records);
        Assert.Equal(maxError, g.MaxTrustedError);
        Assert.Equal(0.9, g.Confidence);
        if (g.Feasible)
        {
            // The deployed threshold is the larger of the two, and the bound there is the Clopper-Pearson bound of its counts
            Assert.Equal(Math.Max(g.GuaranteedThreshold, g.CostOptimalThreshold), g.DeployedThreshold);
            Assert.Equal(BinomialInterval.Upper(g.TrustedErrors, g.Trusted, 0.9), g.UpperBound);
            Assert.True(g.UpperBound <= maxError, $"bound {g.UpperBound}");
            var deployed = model.Policy.Kind == PolicyKind.Signal ? model.Policy.Signal!.Tau : model.Tau;
            Assert.Equal(g.DeployedThreshold, deployed);
        }
        else
        {
            Assert.Equal(PolicyKind.EscalateEverything, model.Policy.Kind);
        }
    }

    [Fact]
    public void Fit_AlwaysTrustCostOptimal_GuaranteesOnTheLearnedProbability()
    {
        // Given 2,000 answers: half said with confidence 95 (1 in 100 wrong), half with confidence 60 (1 in 7 wrong).
        // Both groups are right far above 0.68 of the time, so trusting everything is cost-optimal; the confident half
        // alone holds an error rate well under 5%
        var records = Enumerable.Range(0, 2000).Select(i => new DecisionRecord
        {
            Id = $"r{i}",
            Schema = LabelSchema.Moderation,
            Output = new LlmOutput { Outcome = "1", VerbalizedConfidence = i % 2 == 0 ? 95 : 60 },
            Truth = (i % 2 == 0 ? i / 2 % 100 == 0 : i / 2 % 7 == 0) ? "0" : "1",
        }).ToList();
        var data = TrainingSet.From(records, new LppFeatureExtractor());
        var costOptimal = new EscalationTrainer().Fit(data);
        Assert.Equal(PolicyKind.AlwaysTrust, costOptimal.Policy.Kind);

        // When trained with a 5% guarantee
        var model = new EscalationTrainer(new EscalationTrainerOptions { MaxTrustedError = 0.05 }).Fit(data);

        // Then the threshold is put on the learned probability (always-trust is its threshold 0), and a threshold that
        // trusts only the confident half qualifies: the learned model is deployed there instead of failing the guarantee
        var g = model.Guarantee!;
        Assert.True(g.Feasible);
        Assert.StartsWith("learned probability", g.Scale, StringComparison.Ordinal);
        Assert.Equal(0, g.CostOptimalThreshold);
        Assert.Equal(PolicyKind.Learned, model.Policy.Kind);
        Assert.Equal(g.GuaranteedThreshold, model.Tau);
        Assert.True(g.UpperBound <= 0.05, $"bound {g.UpperBound}");
        var router = new Router(model);
        Assert.All(records.Where(r => r.Output.VerbalizedConfidence == 95), r => Assert.True(router.Route(r).Trust));
        Assert.All(records.Where(r => r.Output.VerbalizedConfidence == 60), r => Assert.False(router.Route(r).Trust));

        // And the training profile describes the deployed threshold, not the cost-optimal always-trust (which
        // escalates nothing): out of fold it escalates a large share, about the unconfident half
        Assert.Equal(0, costOptimal.Profile!.EscalationRatio);
        Assert.True(model.Profile!.EscalationRatio > 0.3, $"escalation ratio {model.Profile.EscalationRatio}");
    }

    [Fact]
    public void Fit_ImpossibleGuarantee_EscalatesEverythingUnlessAllowed()
    {
        // Given gpt-4o/sat (206 records, 14 errors): 62 calibration records cannot show an error rate of at most 1%
        // with 90% confidence (zero errors would need ln(0.1)/ln(0.99) = 229 trusted items)
        var strict = TrainedModels.Train("data/llm-confidence/gpt-4o/sat.jsonl", Recipe.Default, new EscalationTrainerOptions { MaxTrustedError = 0.01 });
        var allowed = TrainedModels.Train("data/llm-confidence/gpt-4o/sat.jsonl", Recipe.Default, new EscalationTrainerOptions { MaxTrustedError = 0.01, AllowInfeasible = true });

        // Then the strict model escalates everything and says the guarantee failed; the allowed one keeps its policy
        Assert.False(strict.Guarantee!.Feasible);
        Assert.Equal(PolicyKind.EscalateEverything, strict.Policy.Kind);
        Assert.False(new Router(strict).Route(DecisionRecordReader.ReadValid(SharedData.Path("data/llm-confidence/gpt-4o/sat.jsonl")).First()).Trust);
        Assert.False(allowed.Guarantee!.Feasible);
        Assert.NotEqual(PolicyKind.EscalateEverything, allowed.Policy.Kind);
        Assert.Equal("true", allowed.Options["allow_infeasible"]);
    }

    [Theory]
    [InlineData(0.0, 0.9, "max-trusted-error must be strictly between 0 and 1 (got 0)")]
    [InlineData(1.0, 0.9, "max-trusted-error must be strictly between 0 and 1 (got 1)")]
    [InlineData(-0.1, 0.9, "max-trusted-error must be strictly between 0 and 1 (got -0.1)")]
    [InlineData(0.1, 0.5, "confidence must be strictly between 0.5 and 1 (got 0.5)")]
    [InlineData(0.1, 1.0, "confidence must be strictly between 0.5 and 1 (got 1)")]
    public void Options_GuaranteeOutOfRange_IsRefusedNamingTheOption(double maxError, double confidence, string message)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new EscalationTrainer(new EscalationTrainerOptions { MaxTrustedError = maxError, Confidence = confidence }));

        Assert.StartsWith(message, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Fit_CalibrationPartWithoutErrors_IsRefused()
    {
        // Given 5 errors among 2,000 answers and a 1% calibration part: its 20 records hold no error (stratified: 0.05 of one)
        var records = Enumerable.Range(0, 2000).Select(i => new DecisionRecord
        {
            Id = $"r{i}",
            Schema = LabelSchema.Moderation,
            Output = new LlmOutput { Outcome = "1", VerbalizedConfidence = 50 + (i % 10 * 5) },
            Truth = i < 5 ? "0" : "1",
        });
        var trainer = new EscalationTrainer(new EscalationTrainerOptions { MaxTrustedError = 0.1, CalibrationFraction = 0.01 });

        var e = Assert.Throws<TrainingException>(() => trainer.Fit(TrainingSet.From(records, new LppFeatureExtractor())));

        Assert.Equal("the calibration part (20 records) holds no LLM errors: the guarantee needs both", e.Message);
    }
}
