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

    /// <summary>Trains on <paramref name="data"/>.</summary>
    /// <exception cref="TrainingException">No truth, one class only, or fewer than 5 LLM errors.</exception>
    public EscalationModel Fit(TrainingSet data, IReadOnlyList<InputFileInfo>? inputs = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        Check(data);
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
        };
        var baselines = new List<BaselineThreshold>();
        foreach (var signal in BaselineThreshold.Signals)
        {
            var scores = rows.Select(r => signal.Score(data.Features.Row(r))).ToArray();
            var tau = ThresholdSearch.Exact(scores, correct, Options.Cost);
            baselines.Add(signal with { Tau = tau });
            costs[signal.Name] = ThresholdSearch.CostAt(scores, correct, Options.Cost, tau);
        }

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
            fitted.Tau,
            Options.Cost,
            baselines,
            provenance,
            options);
        return model.WithProfile(TrainingProfile.Compute(model, data.Features, metaScores, correct));
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
