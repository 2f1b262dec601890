using System.Collections.Concurrent;
using System.Text.Json;

namespace Lpp.Tests;

/// <summary>
/// scikit-learn 1.2.1 / imbalanced-learn 0.10.0 reference outputs with their inputs (X 300×16, y) from
/// ../shared/parity/sklearn-meta-model.json, whose outputs were computed on exactly the X it stores (it holds what
/// the checked-in rerun Learning/Expected/sklearn-on-stored-x.json held, value for value, so that copy was deleted).
/// Loading skips the test where ../shared is absent (fails under CI=1).
/// </summary>
public sealed class SklearnParity
{
    /// <summary>Where the reference outputs live, relative to ../shared.</summary>
    public const string RelativePath = "parity/sklearn-meta-model.json";

    private static readonly ConcurrentDictionary<string, SklearnParity> Cache = new(StringComparer.Ordinal);

    private SklearnParity(JsonElement inputs, JsonElement root)
    {
        X = Matrix(inputs.GetProperty("X"));
        Y = [.. inputs.GetProperty("y").EnumerateArray().Select(e => e.GetInt32())];
        var scaler = root.GetProperty("standard_scaler");
        ScalerMean = Doubles(scaler.GetProperty("mean"));
        ScalerScale = Doubles(scaler.GetProperty("scale"));
        ScaledX = new StandardScalerModel([.. ScalerMean], [.. ScalerScale]).Transform(X);
        Ridge = [.. root.GetProperty("ridge_classifier_on_scaled_X").EnumerateArray().Select(e => new RidgeCase(
            e.GetProperty("alpha").GetDouble(),
            ClassWeightOf(e.GetProperty("class_weight")),
            Doubles(e.GetProperty("coef")),
            e.GetProperty("intercept").GetDouble(),
            Doubles(e.GetProperty("decision"))))];
        Logistic = root.TryGetProperty("logistic_regression_on_scaled_X", out var logistic)
            ? [.. logistic.EnumerateArray().Select(e => new LogisticCase(
                e.GetProperty("C").GetDouble(),
                ClassWeightOf(e.GetProperty("class_weight")),
                Doubles(e.GetProperty("coef")),
                e.GetProperty("intercept").GetDouble(),
                Doubles(e.GetProperty("proba"))))]
            : [];
        var calibration = root.GetProperty("calibration_on_ridge_decision");
        CalibrationDecision = Doubles(calibration.GetProperty("decision"));
        PlattA = calibration.GetProperty("platt_a").GetDouble();
        PlattB = calibration.GetProperty("platt_b").GetDouble();
        PlattProba = Doubles(calibration.GetProperty("platt_proba"));
        IsotonicProba = Doubles(calibration.GetProperty("isotonic_proba"));
        var cv = root.GetProperty("calibrated_classifier_cv");
        CvAlpha = cv.GetProperty("alpha").GetDouble();
        CvClassWeight = ClassWeightOf(cv.GetProperty("class_weight"));
        CvFoldRule = cv.GetProperty("folds_test_index_rule").GetString()!;
        CvEnsemble = cv.GetProperty("ensemble").GetBoolean();
        CvSigmoid = Doubles(cv.GetProperty("proba").GetProperty("sigmoid"));
        CvIsotonic = Doubles(cv.GetProperty("proba").GetProperty("isotonic"));
        TomekKept = [.. root.GetProperty("tomek_links_on_scaled_X").GetProperty("kept_index").EnumerateArray().Select(e => e.GetInt32())];
        var metrics = inputs.GetProperty("metrics");
        MetricScore = Doubles(metrics.GetProperty("score"));
        RocAuc = metrics.GetProperty("roc_auc").GetDouble();
        PredAt0 = [.. metrics.GetProperty("pred_at_0").EnumerateArray().Select(e => e.GetInt32())];
        F1ErrorClass = metrics.GetProperty("f1_error_class").GetDouble();
        F1Macro = metrics.GetProperty("f1_macro").GetDouble();
    }

    public FeatureMatrix X { get; }

    public int[] Y { get; }

    public double[] ScalerMean { get; }

    public double[] ScalerScale { get; }

    /// <summary>X standardised with the reference's mean and scale (the input of the ridge, calibration and Tomek references).</summary>
    public FeatureMatrix ScaledX { get; }

    public IReadOnlyList<RidgeCase> Ridge { get; }

    /// <summary>The LogisticRegression references (shared file only).</summary>
    public IReadOnlyList<LogisticCase> Logistic { get; }

    public double[] CalibrationDecision { get; }

    public double PlattA { get; }

    public double PlattB { get; }

    public double[] PlattProba { get; }

    public double[] IsotonicProba { get; }

    public double CvAlpha { get; }

    public ClassWeight CvClassWeight { get; }

    public string CvFoldRule { get; }

    public bool CvEnsemble { get; }

    public double[] CvSigmoid { get; }

    public double[] CvIsotonic { get; }

    public int[] TomekKept { get; }

    public double[] MetricScore { get; }

    public double RocAuc { get; }

    public int[] PredAt0 { get; }

    public double F1ErrorClass { get; }

    public double F1Macro { get; }

    /// <summary>The shared file's inputs and outputs; skips or fails the test when ../shared is absent.</summary>
    public static SklearnParity Load()
    {
        var path = SharedData.Path(RelativePath);
        return Cache.GetOrAdd(path, p =>
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(p));
            return new SklearnParity(document.RootElement, document.RootElement);
        });
    }

    private static double[] Doubles(JsonElement array) => [.. array.EnumerateArray().Select(e => e.GetDouble())];

    private static FeatureMatrix Matrix(JsonElement rows) =>
        FeatureMatrix.FromRows([.. rows.EnumerateArray().Select(r => (IReadOnlyList<double>)Doubles(r))]);

    private static ClassWeight ClassWeightOf(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Null => ClassWeight.None,
        JsonValueKind.String when e.GetString() == "balanced" => ClassWeight.Balanced,
        JsonValueKind.Object => ClassWeight.Explicit(e.GetProperty("0").GetDouble(), e.GetProperty("1").GetDouble()),
        _ => throw new InvalidDataException("unexpected class_weight " + e.GetRawText()),
    };

    /// <summary>One LogisticRegression reference: its settings, coefficients, intercept and P(class 1) on the scaled X.</summary>
    public sealed record LogisticCase(double C, ClassWeight ClassWeight, double[] Coef, double Intercept, double[] Proba);

    /// <summary>One RidgeClassifier reference: its settings and outputs on the scaled X.</summary>
    public sealed record RidgeCase(double Alpha, ClassWeight ClassWeight, double[] Coef, double Intercept, double[] Decision);
}
