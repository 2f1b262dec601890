using System.Globalization;

namespace Lpp;

/// <summary>
/// Our recipe. No resampling (it distorts calibration). Candidates: the calibrated ridge over all allowed features
/// at each alpha with sigmoid or isotonic calibration, and each single-signal baseline (its feature plus its
/// availability indicator) as a one-feature model, so that small data can fall back to the best single signal.
/// Each candidate is scored by the log loss of its out-of-fold probabilities (k-fold, imputation and scaling fitted
/// inside each fold): a proper scoring rule, blind to the cost. The cost enters only through τ: the cost-optimal
/// threshold of a calibrated probability in closed form (<see cref="CostModel.CalibratedOptimalThreshold"/>). The
/// out-of-fold probabilities over all training data are where the baselines' thresholds and the reported
/// validation costs are computed.
/// </summary>
internal static class DefaultRecipe
{
    public static FittedRecipe Fit(TrainingSet data, int[] columns, EscalationTrainerOptions options)
    {
        var y = data.Correct.ToArray();
        var folds = PaperRecipe.Folds(y, options.Folds, options.Seed, "the default recipe's cross-validation");
        var candidates = Candidates(data, columns).ToList();
        var outOfFold = candidates.Select(_ => new double[y.Length]).ToList();
        foreach (var group in candidates.Select((c, i) => (c, i)).GroupBy(t => t.c.Columns, ColumnsComparer.Instance))
        {
            var x = Preprocessed.Columns(data.Features, group.Key);
            foreach (var fold in folds)
            {
                var train = fold.Train.ToArray();
                var test = fold.Test.ToArray();
                var prepared = Preprocessed.Fit(x.SelectRows(train));
                var calibration = PaperRecipe.Prepare(prepared.Z, PaperRecipe.Pick(y, train), options.Seed);
                var zTest = prepared.Apply(x.SelectRows(test));
                foreach (var (candidate, index) in group)
                {
                    var p = new CalibratedRidgeTrainer(candidate.Options).Fit(calibration).Probabilities(zTest);
                    for (var i = 0; i < test.Length; i++)
                    {
                        outOfFold[index][test[i]] = p[i];
                    }
                }
            }
        }

        var losses = outOfFold.Select(p => Metrics.LogLoss(p, y)).ToArray();
        var best = Enumerable.Range(0, candidates.Count).OrderBy(i => losses[i]).First();
        var chosen = candidates[best];
        var all = Preprocessed.Fit(Preprocessed.Columns(data.Features, chosen.Columns));
        var ensemble = new CalibratedRidgeTrainer(chosen.Options).Fit(PaperRecipe.Prepare(all.Z, y, options.Seed));
        var allRows = Enumerable.Range(0, y.Length).ToArray();

        // The winner was chosen for calibration, so its probabilities are read as they are: the cost-optimal
        // threshold of a calibrated score is the closed form (1 - r/2, or 1 - r for the absolute cost). Measured on
        // the 12 real datasets (docs/recipes.md) it beats the threshold searched on the out-of-fold scores, which
        // chases their noise.
        var tau = options.Cost.CalibratedOptimalThreshold;
        var top = Enumerable.Range(0, candidates.Count).OrderBy(i => losses[i]).Take(10).Select(i => new CvResult(candidates[i].Description, losses[i])).ToList();
        return new FittedRecipe(chosen.Columns, all.Imputer, all.Scaler, ensemble, tau, chosen.Description, "log_loss", losses[best], top,
            candidates.Count, candidates.Count, allRows, outOfFold[best],
            $"out-of-fold predictions ({options.Folds}-fold, {y.Length} records; tau in closed form)");
    }

    private static IEnumerable<(int[] Columns, CalibratedRidgeOptions Options, string Description)> Candidates(TrainingSet data, int[] columns)
    {
        foreach (var alpha in TrainingDefaults.DefaultAlphas)
        {
            foreach (var method in new[] { CalibrationMethod.Sigmoid, CalibrationMethod.Isotonic })
            {
                var name = method == CalibrationMethod.Sigmoid ? "sigmoid" : "isotonic";
                yield return (columns, Options(alpha, method), string.Create(CultureInfo.InvariantCulture, $"all features, alpha={alpha} calibration={name}"));
            }
        }

        foreach (var baseline in BaselineThreshold.Signals)
        {
            var signal = FeatureSchema.IndexOf(baseline.Feature);
            var indicator = FeatureSchema.IndexOf(baseline.Feature == "verbalized_confidence" ? "has_verbalized" : "has_logprobs");
            if (!columns.Contains(signal))
            {
                continue;
            }

            yield return (columns.Contains(indicator) ? [signal, indicator] : [signal], Options(1, CalibrationMethod.Sigmoid), $"single signal {baseline.Feature}, calibration=sigmoid");
        }
    }

    private static CalibratedRidgeOptions Options(double alpha, CalibrationMethod method) => new()
    {
        Ridge = new RidgeClassifierOptions { Alpha = alpha, ClassWeight = ClassWeight.None },
        Method = method,
        Folds = TrainingDefaults.CalibrationFolds,
    };

    private sealed class ColumnsComparer : IEqualityComparer<int[]>
    {
        public static readonly ColumnsComparer Instance = new();

        public bool Equals(int[]? x, int[]? y) => x is not null && y is not null && x.AsSpan().SequenceEqual(y);

        public int GetHashCode(int[] obj) => obj.Length == 0 ? 0 : HashCode.Combine(obj.Length, obj[0], obj[^1]);
    }
}
