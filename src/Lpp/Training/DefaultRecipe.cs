using System.Globalization;

namespace Lpp;

/// <summary>
/// Our recipe. No resampling (it distorts calibration). Learned candidates: the calibrated ridge over all allowed
/// features at each alpha with sigmoid or isotonic calibration, an L2 logistic regression over the same features at
/// each C, and each single-signal baseline (its feature plus its availability indicator) as a one-feature calibrated
/// model, which at its threshold is a threshold on that one signal. Every candidate is scored on what it would
/// deploy: its expected cost out of fold (k-fold; imputation and scaling fitted inside each fold) at the closed-form
/// threshold of a calibrated probability (<see cref="CostModel.CalibratedOptimalThreshold"/>). The cheapest learned
/// candidate is deployed only when a paired bootstrap over the out-of-fold records gives it at least
/// <see cref="TrainingDefaults.RequiredProbabilityCheaper"/> probability of costing less than the cheaper of the two
/// policies that learn nothing, always trust and escalate everything; otherwise that one is deployed.
/// Weighted records (<see cref="TrainingSet.IsWeighted"/>) are weighted throughout: imputation medians, scaling,
/// ridge and logistic fits, calibrators, and every cost (an item's cost times its weight, so the bootstrap compares
/// weighted totals); folds stay stratified on the records themselves.
/// </summary>
/// <remarks>
/// A signal at a threshold searched exactly on the training data is not a candidate: measured over 20 splits of the
/// 12 shared files, such thresholds cost more out of sample than their out-of-fold cost promised, the cheapest of the
/// four signals out of fold was often not the cheapest on the test part, and a learned candidate held to beat that
/// lucky minimum with 90% probability lost where it was in fact cheaper (docs/recipe-comparison.md). The single-signal
/// candidates threshold each signal through its calibrated probability instead.
/// </remarks>
internal static class DefaultRecipe
{
    public static FittedRecipe Fit(TrainingSet data, int[] columns, EscalationTrainerOptions options)
    {
        var y = data.Correct.ToArray();
        var n = y.Length;
        var correct = y.Select(v => v == 1).ToArray();
        var weights = data.IsWeighted ? data.Weights.ToArray() : null;
        var folds = PaperRecipe.Folds(y, options.Folds, options.Seed, "the default recipe's cross-validation");
        var candidates = Candidates(columns).ToList();
        var outOfFold = candidates.Select(_ => new double[n]).ToList();
        foreach (var group in candidates.Select((c, i) => (c, i)).GroupBy(t => t.c.Columns, ColumnsComparer.Instance))
        {
            var x = Preprocessed.Columns(data.Features, group.Key);
            foreach (var fold in folds)
            {
                var train = fold.Train.ToArray();
                var test = fold.Test.ToArray();
                double[] wTrain = weights is null ? [] : PaperRecipe.Pick(weights, train);
                var prepared = Preprocessed.Fit(x.SelectRows(train), wTrain);
                var yTrain = PaperRecipe.Pick(y, train);
                var calibration = group.Any(t => t.c.Ridge is not null) ? PaperRecipe.Prepare(prepared.Z, yTrain, options.Seed, wTrain) : null;
                var zTest = prepared.Apply(x.SelectRows(test));
                foreach (var (candidate, index) in group)
                {
                    var p = candidate.Ridge is { } ridge
                        ? new CalibratedRidgeTrainer(ridge).Fit(calibration!).Probabilities(zTest)
                        : new LogisticRegressionTrainer(candidate.Logistic).Fit(prepared.Z, yTrain, wTrain).Probabilities(zTest);
                    for (var i = 0; i < test.Length; i++)
                    {
                        outOfFold[index][test[i]] = p[i];
                    }
                }
            }
        }

        // Each learned candidate's out-of-fold cost at the threshold it would deploy; abstentions and unparseable
        // answers are escalated whatever their score, as the router does.
        var tau = options.Cost.CalibratedOptimalThreshold;
        var allRows = Enumerable.Range(0, n).ToArray();
        var learnedCosts = outOfFold.Select(p => ItemCosts(EscalationTrainer.RoutedScores(p, allRows, data), correct, options.Cost, _ => tau, weights)).ToList();
        var simple = SimplePolicies(data, correct, options.Cost, weights).ToList();
        var learnedTotals = learnedCosts.Select(c => c.Sum()).ToArray();
        var best = Enumerable.Range(0, candidates.Count).OrderBy(i => learnedTotals[i]).First();
        var bestSimple = simple.OrderBy(s => s.Costs.Sum()).First();
        var probability = PairedBootstrap.ProbabilityLower(learnedCosts[best], bestSimple.Costs, TrainingDefaults.BootstrapDraws, options.Seed);
        var deployLearned = probability >= TrainingDefaults.RequiredProbabilityCheaper;
        var policy = new DeploymentPolicy
        {
            Kind = deployLearned ? PolicyKind.Learned : bestSimple.Kind,
            Learned = candidates[best].Description,
            LearnedCost = learnedTotals[best],
            Simple = bestSimple.Kind.Name(),
            SimpleCost = bestSimple.Costs.Sum(),
            ProbabilityLearnedCheaper = probability,
            RequiredProbability = TrainingDefaults.RequiredProbabilityCheaper,
            Draws = TrainingDefaults.BootstrapDraws,
        };

        var chosen = candidates[best];
        var all = Preprocessed.Fit(Preprocessed.Columns(data.Features, chosen.Columns), weights);
        var ensemble = chosen.Ridge is { } ridgeOptions ? new CalibratedRidgeTrainer(ridgeOptions).Fit(PaperRecipe.Prepare(all.Z, y, options.Seed, weights)) : null;
        var logistic = chosen.Logistic is { } logisticOptions ? new LogisticRegressionTrainer(logisticOptions).Fit(all.Z, y, weights) : null;

        // A learned candidate's probabilities are read as they are: the cost-optimal threshold of a calibrated score
        // is the closed form (1 - r/2, or 1 - r for the absolute cost). Measured on the 12 real datasets it beats the
        // threshold searched on the out-of-fold scores, which chases their noise.
        var ranked = candidates.Select((c, i) => new CvResult(c.Description, learnedTotals[i]))
            .Concat(simple.Select(s => new CvResult(s.Description, s.Costs.Sum())))
            .OrderBy(r => r.Score)
            .ToList();
        return new FittedRecipe(chosen.Columns, all.Imputer, all.Scaler, ensemble, tau, chosen.Description, "expected_cost", learnedTotals[best], [.. ranked.Take(10)],
            ranked.Count, ranked.Count, allRows, outOfFold[best],
            $"out-of-fold predictions ({options.Folds}-fold, {n} records{(weights is null ? string.Empty : string.Create(CultureInfo.InvariantCulture, $" weighing {weights.Sum():0.##}"))}; tau in closed form)")
        {
            Logistic = logistic,
            Policy = policy,
        };
    }

    /// <summary>Each item's cost (times its weight, when weighted) when trusted iff its score ≥ the threshold of its row (NaN scores escalated).</summary>
    private static double[] ItemCosts(double[] scores, bool[] correct, CostModel cost, Func<int, double> threshold, double[]? weights)
    {
        var costs = new double[scores.Length];
        for (var i = 0; i < scores.Length; i++)
        {
            costs[i] = cost.ItemCost(scores[i] >= threshold(i), correct[i]);
            if (weights is not null)
            {
                costs[i] *= weights[i];
            }
        }

        return costs;
    }

    /// <summary>
    /// The item costs of the two policies that learn nothing, always trust and escalate everything (abstentions and
    /// unparseable answers escalated by both, as deployed): the same in and out of fold.
    /// </summary>
    private static IEnumerable<SimplePolicy> SimplePolicies(TrainingSet data, bool[] correct, CostModel cost, double[]? weights)
    {
        var n = correct.Length;
        var always = EscalationTrainer.RoutedScores(new double[n], [.. Enumerable.Range(0, n)], data);
        yield return new SimplePolicy(PolicyKind.AlwaysTrust, ItemCosts(always, correct, cost, _ => double.NegativeInfinity, weights));
        yield return new SimplePolicy(PolicyKind.EscalateEverything, ItemCosts(always, correct, cost, _ => double.PositiveInfinity, weights));
    }

    private static IEnumerable<Candidate> Candidates(int[] columns)
    {
        foreach (var alpha in TrainingDefaults.DefaultAlphas)
        {
            foreach (var method in new[] { CalibrationMethod.Sigmoid, CalibrationMethod.Isotonic })
            {
                var name = method == CalibrationMethod.Sigmoid ? "sigmoid" : "isotonic";
                yield return new Candidate(columns, Options(alpha, method), null, string.Create(CultureInfo.InvariantCulture, $"all features, alpha={alpha} calibration={name}"));
            }
        }

        foreach (var c in TrainingDefaults.DefaultLogisticC)
        {
            yield return new Candidate(columns, null, new LogisticRegressionOptions { C = c, ClassWeight = ClassWeight.None }, string.Create(CultureInfo.InvariantCulture, $"all features, logistic regression C={c}"));
        }

        foreach (var baseline in BaselineThreshold.Signals)
        {
            var signal = FeatureSchema.IndexOf(baseline.Feature);
            var indicator = FeatureSchema.IndexOf(baseline.Feature == "verbalized_confidence" ? "has_verbalized" : "has_logprobs");
            if (!columns.Contains(signal))
            {
                continue;
            }

            yield return new Candidate(columns.Contains(indicator) ? [signal, indicator] : [signal], Options(1, CalibrationMethod.Sigmoid), null, $"single signal {baseline.Feature}, calibration=sigmoid");
        }
    }

    private static CalibratedRidgeOptions Options(double alpha, CalibrationMethod method) => new()
    {
        Ridge = new RidgeClassifierOptions { Alpha = alpha, ClassWeight = ClassWeight.None },
        Method = method,
        Folds = TrainingDefaults.CalibrationFolds,
    };

    /// <summary>A learned candidate: the columns it reads and either calibrated ridge or logistic regression options.</summary>
    private sealed record Candidate(int[] Columns, CalibratedRidgeOptions? Ridge, LogisticRegressionOptions? Logistic, string Description);

    /// <summary>A policy that learns nothing, with its item costs.</summary>
    private sealed record SimplePolicy(PolicyKind Kind, double[] Costs)
    {
        public string Description => $"simple policy {Kind.Name()}";
    }

    private sealed class ColumnsComparer : IEqualityComparer<int[]>
    {
        public static readonly ColumnsComparer Instance = new();

        public bool Equals(int[]? x, int[]? y) => x is not null && y is not null && x.AsSpan().SequenceEqual(y);

        public int GetHashCode(int[] obj) => obj.Length == 0 ? 0 : HashCode.Combine(obj.Length, obj[0], obj[^1]);
    }
}
