using System.Text.Json;

namespace Lpp.Tests;

/// <summary>
/// The paper recipe held against scikit-learn: Training/Oracles/sklearn-paper-recipe.json is written by
/// scripts/sklearn-oracle.py (scikit-learn 1.2.1 GridSearchCV and imbalanced-learn 0.10.0 TomekLinks following
/// ../shared/reference/sk_lpp.py) with its inputs, so this needs neither ../shared nor Python.
/// </summary>
public sealed class PaperRecipeOracleTests
{
    private static readonly Lazy<(EscalationModel Model, Oracle Oracle)> Trained = new(() =>
    {
        var oracle = Oracle.Load();
        var model = new EscalationTrainer(new EscalationTrainerOptions { Recipe = Recipe.Paper }).Fit(oracle.Train);
        return (model, oracle);
    });

    [Fact]
    public void Fit_Paper_ResamplesAsTomekLinksThenUndersampling()
    {
        // Given the oracle's training part (Llama-3.1-8B SAT, sk_lpp.py's features) and scikit-learn's run on it
        var (model, oracle) = Trained.Value;

        // Then the fit part, imbalanced-learn's Tomek links (abstentions and invalid outputs added back) and the
        // undersampling to 0.5 keep the same rows (counts from sklearn-paper-recipe.json, exact)
        var counts = model.Provenance.Resampling!;
        var expected = oracle.Expected.GetProperty("resampling");
        Assert.Equal(expected.GetProperty("rows").GetInt32(), counts.Rows);
        Assert.Equal(expected.GetProperty("protected_rows").GetInt32(), counts.ProtectedRows);
        Assert.Equal(expected.GetProperty("after_tomek").GetInt32(), counts.AfterTomek);
        Assert.Equal(expected.GetProperty("kept").GetInt32(), counts.Kept);
        Assert.Equal(expected.GetProperty("protected_kept").GetInt32(), counts.ProtectedKept);
    }

    [Fact]
    public void Fit_Paper_ChoosesGridSearchCVsConfiguration()
    {
        var (model, oracle) = Trained.Value;

        // Then the configuration is GridSearchCV's best_params_ (exact: the first of the tied best in grid order), and
        // its mean F1 of the error class over the 3 folds is GridSearchCV's best_score_ (1e-12: a mean of three
        // ratios of counts, summed in a different order)
        Assert.Equal(oracle.Expected.GetProperty("configuration").GetString(), model.Provenance.Configuration);
        Close.Absolute(oracle.Expected.GetProperty("cv_score").GetDouble(), model.Provenance.CvScore, 1e-12);
    }

    [Fact]
    public void Fit_Paper_ChoosesScikitLearnsTau()
    {
        var (model, oracle) = Trained.Value;

        // Then τ is the grid point sk_lpp.pick_tau chose on the validation part (1e-12: np.linspace and Lpp may round
        // the grid point differently; the next grid point is 0.0035 away, and no validation probability lies within
        // 1.4e-4 of a grid point, the file's "margins", far above the 1e-9 the probabilities may differ by)
        Close.Absolute(oracle.Expected.GetProperty("tau").GetDouble(), model.Tau, 1e-12);
        Assert.Equal(PolicyKind.Learned, model.Policy.Kind);
    }

    [Fact]
    public void Fit_Paper_TestProbabilitiesMatchScikitLearn()
    {
        var (model, oracle) = Trained.Value;

        // When the model scores the held-out test part (never seen in training)
        var actual = Enumerable.Range(0, oracle.Test.Rows).Select(r => model.Score(oracle.Test.Row(r))).ToArray();

        // Then each is GridSearchCV.predict_proba's (1e-9: the chosen calibration is isotonic, which has no iterative
        // fit, so only the rounding of the ridge solutions differs; the largest difference measured was 2.5e-13)
        var expected = oracle.Expected.GetProperty("test_probabilities").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        Close.Absolute(expected, actual, 1e-9);
    }

    private sealed record Oracle(TrainingSet Train, FeatureMatrix Test, JsonElement Expected)
    {
        public static Oracle Load()
        {
            var path = Path.Combine(SharedData.RepositoryRoot, "tests", "Lpp.Tests", "Training", "Oracles", "sklearn-paper-recipe.json");
            using var document = JsonDocument.Parse(File.ReadAllBytes(path));
            var root = document.RootElement;
            var columns = root.GetProperty("columns").EnumerateArray().Select(c => FeatureSchema.IndexOf(c.GetString()!)).ToArray();
            Assert.DoesNotContain(-1, columns);
            var train = root.GetProperty("train");
            var x = Schema(train.GetProperty("x"), columns);
            var correct = train.GetProperty("correct").EnumerateArray().Select(e => e.GetInt32()).ToArray();
            var isProtected = train.GetProperty("protected").EnumerateArray().Select(e => e.GetBoolean()).ToArray();
            return new Oracle(
                TrainingSet.FromFeatures(x, correct, isProtected, topK: 5),
                Schema(root.GetProperty("test").GetProperty("x"), columns),
                root.GetProperty("expected").Clone());
        }

        /// <summary>Rows of the oracle's columns placed in a full schema row; the other features are missing (NaN).</summary>
        private static FeatureMatrix Schema(JsonElement rows, int[] columns)
        {
            var list = rows.EnumerateArray().ToList();
            var values = new double[list.Count * FeatureSchema.Count];
            Array.Fill(values, double.NaN);
            for (var r = 0; r < list.Count; r++)
            {
                var c = 0;
                foreach (var v in list[r].EnumerateArray())
                {
                    values[(r * FeatureSchema.Count) + columns[c++]] = v.ValueKind == JsonValueKind.Null ? double.NaN : v.GetDouble();
                }
            }

            return new FeatureMatrix(list.Count, FeatureSchema.Count, values);
        }
    }
}
