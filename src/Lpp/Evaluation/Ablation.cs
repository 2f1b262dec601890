namespace Lpp;

/// <summary>
/// Feature-family ablations (the paper's Figures 2-3): the meta-model is retrained without each family A to G, with
/// the same recipe, cost and seed, and measured on the same test records as the full model.
/// </summary>
public static class Ablation
{
    /// <summary>The families ablated, in order.</summary>
    public static IReadOnlyList<FeatureFamily> Families { get; } = [FeatureFamily.A, FeatureFamily.B, FeatureFamily.C, FeatureFamily.D, FeatureFamily.E, FeatureFamily.F, FeatureFamily.G];

    /// <summary>
    /// Retrains without each family in turn. <paramref name="full"/> is the model trained on <paramref name="train"/>
    /// with <paramref name="options"/>; a family it does not read is reported without retraining.
    /// <paramref name="progress"/> is called once per family.
    /// </summary>
    public static IReadOnlyList<FamilyAblation> Run(TrainingSet train, IReadOnlyList<DecisionRecord> test, EscalationTrainerOptions options, EscalationModel full, Action<FeatureFamily>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(test);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(full);
        var fullMetrics = Evaluator.Score(full, test).Measure()[Method.MetaModel];
        var result = new List<FamilyAblation>();
        foreach (var family in Families)
        {
            var inModel = full.FeatureNames.Any(f => FeatureSchema.All[FeatureSchema.IndexOf(f)].Family == family);
            if (!inModel)
            {
                result.Add(new FamilyAblation(family, false, fullMetrics.Cost, fullMetrics.Auc, 0, 0));
            }
            else
            {
                var excluded = new HashSet<FeatureFamily>(options.ExcludedFamilies) { family };
                var model = new EscalationTrainer(options with { ExcludedFamilies = excluded }).Fit(train);
                var m = Evaluator.Score(model, test).Measure()[Method.MetaModel];
                result.Add(new FamilyAblation(family, true, m.Cost, m.Auc, m.Cost - fullMetrics.Cost, m.Auc - fullMetrics.Auc));
            }

            progress?.Invoke(family);
        }

        return result;
    }
}
