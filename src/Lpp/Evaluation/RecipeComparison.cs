namespace Lpp;

/// <summary>
/// Compares the default and paper recipes and the single-signal baselines on one dataset over repeated seeded
/// stratified train/test splits: each split trains both recipes on the training part and measures every method on
/// the untouched test part. The baselines' thresholds come from the default model (chosen on all training data).
/// </summary>
public static class RecipeComparison
{
    /// <summary>Runs <paramref name="repeats"/> splits with seeds seed, seed + 1, ...</summary>
    public static RecipeComparisonResult Run(string dataset, IReadOnlyList<DecisionRecord> records, int repeats, int seed, double testFraction, CostModel cost, Action<int>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(records);
        var labelled = records.Where(r => r.Correct is not null).ToList();
        var y = labelled.Select(r => r.Correct == true ? 1 : 0).ToArray();
        var splits = new List<RecipeComparisonSplit>();
        for (var r = 0; r < repeats; r++)
        {
            var split = StratifiedSplit.TrainTest(y, testFraction, seed + r);
            var train = split.Train.Select(i => labelled[i]).ToList();
            var test = split.Test.Select(i => labelled[i]).ToList();
            var metrics = new Dictionary<string, MethodMetrics>(StringComparer.Ordinal);
            foreach (var recipe in new[] { Recipe.Default, Recipe.Paper })
            {
                var name = recipe == Recipe.Paper ? "paper" : "default";
                try
                {
                    var options = new EscalationTrainerOptions { Recipe = recipe, Cost = cost, Seed = seed + r };
                    var model = new EscalationTrainer(options).Fit(TrainingSet.From(train, new LppFeatureExtractor(options.Features)));
                    var measured = Evaluator.Score(model, test).Measure();
                    metrics[name] = measured["meta_model"];
                    if (recipe == Recipe.Default)
                    {
                        foreach (var (method, value) in measured.Where(m => m.Key != "meta_model"))
                        {
                            metrics[method] = value;
                        }
                    }
                }
                catch (TrainingException)
                {
                    // A split whose training part cannot support a recipe's folds: counted as a failure of that recipe.
                }
            }

            splits.Add(new RecipeComparisonSplit(seed + r, metrics));
            progress?.Invoke(r + 1);
        }

        return new RecipeComparisonResult(dataset, labelled.Count, y.Count(v => v == 0), splits);
    }
}
