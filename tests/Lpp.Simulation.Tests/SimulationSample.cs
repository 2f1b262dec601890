namespace Lpp.Simulation.Tests;

/// <summary>The numbers docs/simulation.md compares: error rate and the ROC AUC of MSP and verbalized confidence against correctness.</summary>
public sealed record SimulationSample(int Records, double ErrorRate, double? MspAuc, double? VerbalizedAuc)
{
    private static readonly int Msp = FeatureSchema.IndexOf("topk_msp");
    private static readonly int Verbalized = FeatureSchema.IndexOf("verbalized_confidence");

    /// <summary>Measures records with a known truth; AUCs over the records that have the signal (null when none do).</summary>
    public static SimulationSample Measure(IEnumerable<DecisionRecord> records)
    {
        var extractor = new LppFeatureExtractor();
        var features = new double[FeatureSchema.Count];
        var correct = new List<int>();
        var msp = new List<(double, int)>();
        var verbalized = new List<(double, int)>();
        foreach (var record in records)
        {
            if (record.Correct is not { } right)
            {
                continue;
            }

            var y = right ? 1 : 0;
            correct.Add(y);
            extractor.Extract(record, features);
            if (!double.IsNaN(features[Msp]))
            {
                msp.Add((features[Msp], y));
            }

            if (!double.IsNaN(features[Verbalized]))
            {
                verbalized.Add((features[Verbalized], y));
            }
        }

        return new SimulationSample(correct.Count, 1 - correct.Average(), Auc(msp), Auc(verbalized));
    }

    private static double? Auc(List<(double Score, int Y)> rows) =>
        rows.Count == 0 ? null : Metrics.RocAuc([.. rows.Select(r => r.Score)], [.. rows.Select(r => r.Y)]);

    /// <summary>The features of the small meta-model of <see cref="MetaModelVersusMsp"/>.</summary>
    public static IReadOnlyList<string> MetaModelFeatures { get; } = ["topk_msp", "verbalized_confidence", "label_entropy", "abstain_any"];

    /// <summary>
    /// ROC AUC on the second half of <paramref name="records"/> of a ridge classifier (alpha 1, standardised
    /// <see cref="MetaModelFeatures"/>) fitted on the first half, and of MSP alone on the same half.
    /// </summary>
    public static (double MetaModel, double Msp) MetaModelVersusMsp(IReadOnlyList<DecisionRecord> records)
    {
        var extractor = new LppFeatureExtractor();
        var rows = records.Select(r =>
        {
            var f = extractor.Extract(r);
            return (X: MetaModelFeatures.Select(c => f[FeatureSchema.IndexOf(c)]).ToArray(), Y: r.Correct!.Value ? 1 : 0);
        }).ToList();
        var half = rows.Count / 2;
        var train = rows[..half];
        var test = rows[half..];
        var xTrain = new FeatureMatrix(train.Count, MetaModelFeatures.Count, train.SelectMany(r => r.X).ToArray());
        var xTest = new FeatureMatrix(test.Count, MetaModelFeatures.Count, test.SelectMany(r => r.X).ToArray());
        var scaler = StandardScaler.Fit(xTrain);
        var model = new RidgeClassifierTrainer().Fit(scaler.Transform(xTrain), train.Select(r => r.Y).ToArray());
        var yTest = test.Select(r => r.Y).ToArray();
        return (Metrics.RocAuc(model.Decisions(scaler.Transform(xTest)), yTest), Metrics.RocAuc(test.Select(r => r.X[0]).ToArray(), yTest));
    }
}
