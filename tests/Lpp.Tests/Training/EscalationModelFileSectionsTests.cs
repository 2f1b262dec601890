namespace Lpp.Tests;

public sealed partial class EscalationModelFileTests
{
    [Fact]
    public void Load_FileWithoutPolicySection_DeploysItsLearnedModel()
    {
        // Given a model file written before the policy, logistic_regression and guarantee sections existed
        var path = Path.Combine(SharedData.RepositoryRoot, "tests", "Lpp.Tests", "Expected", "gpt-4o-sat-default-before-policy.model.json");

        // When it is loaded
        var model = EscalationModelFile.Load(path);

        // Then it deploys its calibrated ridge at its tau, as before
        Assert.Equal(PolicyKind.Learned, model.Policy.Kind);
        Assert.Equal(DeploymentPolicy.LearnedModel, model.Policy);
        Assert.NotNull(model.Ensemble);
        Assert.Null(model.LogisticRegression);
        Assert.Null(model.Guarantee);
    }

    [Fact]
    public void Load_LogisticRegressionWithSignalPolicyAndGuarantee_RoundTrips()
    {
        // Given a model whose learned part is a logistic regression, deploying MSP at a threshold, with a guarantee
        var ridge = SatModel();
        var d = ridge.FeatureNames.Length;
        var logistic = new LogisticRegressionModel([.. Enumerable.Range(0, d).Select(j => 0.1 * (j - 1))], 1.25);
        var policy = new DeploymentPolicy
        {
            Kind = PolicyKind.Signal,
            Signal = BaselineThreshold.Signals[0] with { Tau = 0.8125 },
            Learned = "all features, logistic regression C=0.1",
            LearnedCost = 3.5,
            Simple = "msp",
            SimpleCost = 3.25,
            ProbabilityLearnedCheaper = 0.41,
            RequiredProbability = 0.9,
            Draws = 1000,
        };
        var guarantee = new TrustGuarantee
        {
            MaxTrustedError = 0.05,
            Confidence = 0.9,
            CalibrationRecords = 62,
            CalibrationErrors = 4,
            Scale = "signal msp",
            Feasible = true,
            GuaranteedThreshold = 0.8125,
            CostOptimalThreshold = 0.75,
            DeployedThreshold = 0.8125,
            Trusted = 50,
            TrustedErrors = 0,
            UpperBound = 0.045,
        };
        var model = new EscalationModel(ridge.Recipe, ridge.FeatureNames, ridge.TopK, ridge.Imputer, ridge.Scaler, null, logistic, ridge.Tau, ridge.Cost, ridge.Baselines, ridge.Provenance, ridge.Options)
        {
            Policy = policy,
            Guarantee = guarantee,
        };
        using var dir = new TempDir();
        var path = Write(model, dir.File("model.json"));

        // When it is loaded
        var loaded = EscalationModelFile.Load(path);

        // Then every part comes back: the same checksum, policy, guarantee and scores
        Assert.Equal(EscalationModelFile.Checksum(model), EscalationModelFile.Checksum(loaded));
        Assert.Equal(policy, loaded.Policy);
        Assert.Equal(guarantee, loaded.Guarantee);
        Assert.Null(loaded.Ensemble);
        Assert.Equal(logistic.Coefficients, loaded.LogisticRegression!.Coefficients);
        var extractor = model.CreateExtractor();
        foreach (var record in DecisionRecordReader.ReadValid(SharedData.Path("data/llm-confidence/gpt-4o/sat.jsonl")).Take(50))
        {
            var features = extractor.Extract(record);
            Assert.Equal(model.Score(features), loaded.Score(features));
            Assert.Equal(model.Trusts(features, model.Score(features)), loaded.Trusts(features, loaded.Score(features)));
        }
    }

    [Fact]
    public void Load_BothLearnedParts_IsRefused()
    {
        // Given a file holding ridge folds and a logistic regression at once (edited by hand)
        using var dir = new TempDir();
        var sat = SatModel();
        var path = Write(sat, dir.File("model.json"));
        var text = File.ReadAllText(path);
        var d = sat.FeatureNames.Length;
        File.WriteAllText(path, text.Replace("\"provenance\":", $"\"logistic_regression\": {{\"coef\": [{string.Join(", ", Enumerable.Repeat("0", d))}], \"intercept\": 0}}, \"provenance\":", StringComparison.Ordinal));

        // When it is loaded, Then it is refused with the reason
        var e = Assert.Throws<ModelFileException>(() => EscalationModelFile.Load(path));
        Assert.Contains("a model holds either ridge folds or a logistic_regression, not both", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_UnknownPolicy_IsRefused()
    {
        // Given the policy section's kind changed by hand (the default SAT model has a policy section)
        var model = SatModel();
        Assert.True(model.Policy.Draws > 0);
        using var dir = new TempDir();
        var path = Write(model, dir.File("model.json"));
        var text = File.ReadAllText(path);
        File.WriteAllText(path, text.Replace($"\"kind\": \"{model.Policy.Kind.Name()}\"", "\"kind\": \"trust_some\"", StringComparison.Ordinal));

        var e = Assert.Throws<ModelFileException>(() => EscalationModelFile.Load(path));
        Assert.Contains("policy 'trust_some' is not one of learned, always_trust, escalate_everything, signal", e.Message, StringComparison.Ordinal);
    }
}
