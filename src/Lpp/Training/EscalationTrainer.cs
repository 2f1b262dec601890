using System.Globalization;

namespace Lpp;

/// <summary>
/// Trains an <see cref="EscalationModel"/> from labelled decisions with the chosen <see cref="Recipe"/>, then
/// chooses each single-signal baseline's threshold on the same data and by the same cost as the meta-model's.
/// </summary>
public sealed class EscalationTrainer
{
    /// <summary>Creates a trainer; <paramref name="options"/> are validated.</summary>
    public EscalationTrainer(EscalationTrainerOptions? options = null)
    {
        Options = options ?? new EscalationTrainerOptions();
        Options.Validate();
    }

    /// <summary>The options in force.</summary>
    public EscalationTrainerOptions Options { get; }

    /// <summary>
    /// Trains on <paramref name="data"/>; with <see cref="EscalationTrainerOptions.MaxTrustedError"/> set, trains on
    /// the part not held out for calibration and sets the threshold with the guarantee (<see cref="TrustGuarantee"/>).
    /// </summary>
    /// <exception cref="TrainingException">No truth, one class only, fewer than 5 LLM errors, or (with a guarantee) a part without errors.</exception>
    public EscalationModel Fit(TrainingSet data, IReadOnlyList<InputFileInfo>? inputs = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        Check(data);
        return Options.MaxTrustedError is { } maxError ? FitGuaranteed(data, inputs, maxError) : FitCostOptimal(data, inputs).Model;
    }

    private EscalationModel FitGuaranteed(TrainingSet data, IReadOnlyList<InputFileInfo>? inputs, double maxError)
    {
        var y = data.Correct.ToArray();
        IndexSplit split;
        try
        {
            split = StratifiedSplit.TrainTest(y, Options.CalibrationFraction, Options.Seed);
        }
        catch (ArgumentException e)
        {
            throw new TrainingException($"cannot hold out {Options.CalibrationFraction:0%} of {data.Count} records for calibration ({e.Message.Split(" (Parameter", 2)[0]})", e);
        }

        var calibration = data.Subset(split.Test.AsSpan());
        if (calibration.Errors == 0 || calibration.Errors == calibration.Count)
        {
            throw new TrainingException($"the calibration part ({calibration.Count} records) holds {(calibration.Errors == 0 ? "no LLM errors" : "no correct answers")}: the guarantee needs both");
        }

        EscalationModel model;
        double[] outOfFold;
        bool[] outOfFoldCorrect;
        var fitPart = data.Subset(split.Train.AsSpan());
        try
        {
            Check(fitPart);
            (model, outOfFold, outOfFoldCorrect) = FitCostOptimal(fitPart, inputs);
        }
        catch (TrainingException e)
        {
            throw new TrainingException($"after holding out {calibration.Count} records for calibration: {e.Message}", e);
        }

        // The deployed policy's scores on the calibration part; abstentions and unparseable answers are never trusted.
        // Always-trust has no score of its own to put a threshold on: it is read as the learned probability at
        // threshold 0 (every score passes), so a guaranteed threshold deploys the learned model there.
        var policy = model.Policy;
        var rows = Enumerable.Range(0, calibration.Count).ToArray();
        var raw = rows.Select(r => policy.Kind switch
        {
            PolicyKind.Learned or PolicyKind.AlwaysTrust => model.Score(calibration.Features.Row(r)),
            PolicyKind.Signal => policy.Signal!.Score(calibration.Features.Row(r)),
            _ => double.NaN,
        }).ToArray();
        var scores = RoutedScores(raw, rows, calibration);
        var correct = calibration.Correct.Select(c => c == 1).ToArray();
        var costThreshold = policy.Kind switch
        {
            PolicyKind.Learned => model.Tau,
            PolicyKind.Signal => policy.Signal!.Tau,
            PolicyKind.AlwaysTrust => 0.0,
            _ => 1.0,
        };
        var guaranteed = LearnThenTest.LowestThreshold(scores, correct, maxError, Options.Confidence);
        var feasible = !double.IsNaN(guaranteed) || policy.Kind == PolicyKind.EscalateEverything;
        var deployed = double.IsNaN(guaranteed) ? costThreshold : Math.Max(guaranteed, costThreshold);
        var (trusted, errors) = LearnThenTest.TrustedAt(scores, correct, deployed);
        var tau = model.Tau;
        if (feasible && policy.Kind == PolicyKind.AlwaysTrust)
        {
            tau = deployed;
            policy = policy with { Kind = PolicyKind.Learned };
        }
        else if (feasible || Options.AllowInfeasible)
        {
            tau = policy.Kind == PolicyKind.Learned ? deployed : tau;
            policy = policy.Kind == PolicyKind.Signal ? policy with { Signal = policy.Signal! with { Tau = deployed } } : policy;
        }
        else
        {
            policy = policy with { Kind = PolicyKind.EscalateEverything, Signal = null };
            (trusted, errors) = (0, 0);
        }

        var guarantee = new TrustGuarantee
        {
            MaxTrustedError = maxError,
            Confidence = Options.Confidence,
            CalibrationRecords = calibration.Count,
            CalibrationErrors = calibration.Errors,
            Scale = model.Policy.Kind switch
            {
                PolicyKind.Learned => "learned probability",
                PolicyKind.AlwaysTrust => "learned probability (the cost-optimal policy, always_trust, is its threshold 0)",
                PolicyKind.Signal => $"signal {model.Policy.Signal!.Name}",
                var kind => $"{kind.Name()} policy",
            },
            Feasible = feasible,
            GuaranteedThreshold = guaranteed,
            CostOptimalThreshold = costThreshold,
            DeployedThreshold = deployed,
            Trusted = trusted,
            TrustedErrors = errors,
            UpperBound = trusted == 0 ? 0 : BinomialInterval.Upper(errors, trusted, Options.Confidence),
        };
        var options = new Dictionary<string, string>(model.Options.ToDictionary(), StringComparer.Ordinal)
        {
            ["max_trusted_error"] = maxError.ToString("R", CultureInfo.InvariantCulture),
            ["confidence"] = Options.Confidence.ToString("R", CultureInfo.InvariantCulture),
            ["calibration_fraction"] = Options.CalibrationFraction.ToString("R", CultureInfo.InvariantCulture),
            ["allow_infeasible"] = Options.AllowInfeasible ? "true" : "false",
        };
        var provenance = model.Provenance with
        {
            WithoutTruth = data.WithoutTruth,
            ThresholdData = $"{model.Provenance.ThresholdData}; guarantee threshold on a held-out calibration part ({calibration.Count} records)",
        };
        var withGuarantee = new EscalationModel(model.Recipe, model.FeatureNames, model.TopK, model.Imputer, model.Scaler, model.Ensemble, model.LogisticRegression, tau, model.Cost, model.Baselines, provenance, options)
        {
            Policy = policy,
            Guarantee = guarantee,
        };
        // The profile describes the policy deployed with the guarantee, on the same out-of-fold scores.
        return withGuarantee.WithProfile(TrainingProfile.Compute(withGuarantee, fitPart.Features, outOfFold, outOfFoldCorrect))
            .WithContributionGroups(model.ContributionGroups);
    }

    /// <summary>The cost-optimal model, with the out-of-fold scores (as routed) and truths its τ and profile came from.</summary>
    private (EscalationModel Model, double[] Routed, bool[] Correct) FitCostOptimal(TrainingSet data, IReadOnlyList<InputFileInfo>? inputs)
    {
        // Features of excluded families, and features no training record has (e.g. reasoning statistics of answers
        // given without reasoning), are left out: the latter carry no information and have no median to impute.
        var columns = Enumerable.Range(0, FeatureSchema.Count)
            .Where(i => !Options.ExcludedFamilies.Contains(FeatureSchema.All[i].Family) && HasValues(data.Features, i))
            .ToArray();
        var fitted = Options.Recipe == Recipe.Paper ? PaperRecipe.Fit(data, columns, Options) : DefaultRecipe.Fit(data, columns, Options);

        var rows = fitted.ThresholdRows;
        var correct = rows.Select(r => data.Correct[r] == 1).ToArray();
        var metaScores = RoutedScores(fitted.ThresholdScores, rows, data);
        var costs = new Dictionary<string, double>(StringComparer.Ordinal)
        {
            [Method.MetaModel.Name] = ThresholdSearch.CostAt(metaScores, correct, Options.Cost, fitted.Tau),
            [Method.AlwaysTrust.Name] = ThresholdSearch.CostAt(fitted.ThresholdScores, correct, Options.Cost, double.NegativeInfinity),
            ["escalate_everything"] = ThresholdSearch.CostAt(fitted.ThresholdScores, correct, Options.Cost, double.PositiveInfinity),
        };
        var baselines = new List<BaselineThreshold>();
        foreach (var signal in BaselineThreshold.Signals)
        {
            var scores = rows.Select(r => signal.Score(data.Features.Row(r))).ToArray();
            var tau = ThresholdSearch.Exact(scores, correct, Options.Cost);
            baselines.Add(signal with { Tau = tau });
            costs[signal.Name] = ThresholdSearch.CostAt(scores, correct, Options.Cost, tau);
        }

        var policy = fitted.Policy.Kind == PolicyKind.Signal
            ? fitted.Policy with { Signal = baselines.First(b => b.Name == fitted.Policy.Signal!.Name) }
            : fitted.Policy;
        var provenance = new ModelProvenance
        {
            Inputs = inputs ?? [],
            Records = data.Count,
            Errors = data.Errors,
            WithoutTruth = data.WithoutTruth,
            Configuration = fitted.Configuration,
            CvMetric = fitted.CvMetric,
            CvScore = fitted.CvScore,
            ConfigurationsEvaluated = fitted.ConfigurationsEvaluated,
            DistinctConfigurations = fitted.DistinctConfigurations,
            TopCv = fitted.TopCv,
            ThresholdData = fitted.ThresholdData,
            ValidationCosts = costs,
            Resampling = fitted.Resampling,
        };
        var options = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["seed"] = Options.Seed.ToString(CultureInfo.InvariantCulture),
            ["folds"] = Options.Folds.ToString(CultureInfo.InvariantCulture),
            ["calibration_folds"] = TrainingDefaults.CalibrationFolds.ToString(CultureInfo.InvariantCulture),
            ["excluded_families"] = string.Join(",", Options.ExcludedFamilies.Order()),
        };
        var model = new EscalationModel(
            Options.Recipe,
            [.. fitted.Columns.Select(c => FeatureSchema.All[c].Name)],
            data.TopK,
            fitted.Imputer,
            fitted.Scaler,
            fitted.Ensemble,
            fitted.Logistic,
            fitted.Tau,
            Options.Cost,
            baselines,
            provenance,
            options)
        {
            Policy = policy,
        };

        // Collinear features are reported as one contribution: the groups of near-duplicates on the training data.
        var groups = ContributionGroups.From(FeatureAnalysis.Of(data, model.FeatureNames));
        return (model.WithProfile(TrainingProfile.Compute(model, data.Features, metaScores, correct)).WithContributionGroups(groups), metaScores, correct);
    }

    /// <summary>
    /// The scores as the router acts on them: abstentions and invalid outputs are escalated whatever their score,
    /// so they count as NaN (always escalated) when τ is chosen or a cost is counted.
    /// </summary>
    internal static double[] RoutedScores(double[] scores, int[] rows, TrainingSet data)
    {
        var routed = (double[])scores.Clone();
        for (var i = 0; i < rows.Length; i++)
        {
            if (data.Protected[rows[i]])
            {
                routed[i] = double.NaN;
            }
        }

        return routed;
    }

    private static bool HasValues(FeatureMatrix x, int column)
    {
        for (var r = 0; r < x.Rows; r++)
        {
            if (!double.IsNaN(x[r, column]))
            {
                return true;
            }
        }

        return false;
    }

    private static void Check(TrainingSet data)
    {
        if (data.Count == 0)
        {
            throw new TrainingException(data.WithoutTruth > 0
                ? $"no record has a truth label ({data.WithoutTruth} without truth): training needs labelled decisions"
                : "the training data holds no records");
        }

        var errors = data.Errors;
        if (errors == 0 || errors == data.Count)
        {
            throw new TrainingException($"all {data.Count} labelled answers are {(errors == 0 ? "correct" : "incorrect")}: training needs both correct and incorrect answers");
        }

        if (errors < TrainingDefaults.MinimumErrors)
        {
            throw new TrainingException($"only {errors} incorrect answers among {data.Count}: training needs at least {TrainingDefaults.MinimumErrors}");
        }
    }
}
