namespace Lpp.Serving;

/// <summary>
/// The model of <c>lpp serve --shadow-model</c>: a second model that scores every decision the serving model makes,
/// at its own threshold and costs (<c>--costs</c>, when given, applies to it as to every model served), while the
/// answer is always the serving model's. Its score and decision are stored with the decision, so <c>lpp monitor</c>
/// can estimate what it would have cost before it serves. It is loaded and verified at start like <c>--model</c> and
/// fixed for the process's life: a new serving model (upload, file change, release) leaves it in place. When its
/// feature extraction (top-k) is the serving model's it reads the serving model's features, else it extracts its own.
/// Thread-safe.
/// </summary>
internal sealed class ShadowModel
{
    private readonly bool _allowShapeMismatch;

    private ShadowModel(ServedModel served, bool allowShapeMismatch)
    {
        Served = served;
        _allowShapeMismatch = allowShapeMismatch;
    }

    /// <summary>The shadow model, as verified (with <c>--costs</c> applied).</summary>
    public ServedModel Served { get; }

    /// <summary>The shadow's checksum.</summary>
    public string Checksum => Served.Checksum;

    /// <summary>
    /// Reads and verifies <c>--shadow-model</c>; refuses in one line a file that is not a valid model, or a model that
    /// could score none of the records <paramref name="serving"/> takes: trained on other labels, or relying on a
    /// signal none of the serving model's training records had (unless <paramref name="allowShapeMismatch"/>, which
    /// scores such records anyway, as it does for the serving model).
    /// </summary>
    /// <exception cref="ServeException">The file is unusable, or the shadow could score none of the serving model's records.</exception>
    public static ShadowModel Load(string path, ServedModel serving, DateTimeOffset now, byte[]? costs, bool allowShapeMismatch)
    {
        var served = ServedModel.Load("--shadow-model", path, now, costs);
        if (!allowShapeMismatch && Incompatible(served.Model.ExpectedShape, serving.Model.ExpectedShape) is { } why)
        {
            throw new ServeException($"--shadow-model {path}: {why}: it could score none of the records the serving model takes (--allow-shape-mismatch scores them anyway)");
        }

        return new ShadowModel(served, allowShapeMismatch);
    }

    /// <summary>
    /// The shadow's reason (so whether it trusts: <see cref="RoutingReason.Confident"/>) and score for a record the
    /// serving model <paramref name="serving"/> scored with <paramref name="servingFeatures"/>; null when the record is
    /// not one the shadow was trained for (it is then not scored). <paramref name="scratch"/> holds
    /// <see cref="FeatureSchema.Count"/> values for its own features when its top-k differs.
    /// </summary>
    public RoutingReason? Decide(DecisionRecord record, ServedModel serving, ReadOnlySpan<double> servingFeatures, Span<double> scratch, out double score)
    {
        var model = Served.Model;
        if (!_allowShapeMismatch && model.ExpectedShape.Check(record) is not null)
        {
            score = double.NaN;
            return null;
        }

        var features = servingFeatures;
        if (model.TopK != serving.Model.TopK)
        {
            Served.Extractor.Extract(record, scratch);
            features = scratch;
        }

        return Served.Router.Decide(record, features, out score);
    }

    /// <summary>Why a model of shape <paramref name="shadow"/> could score none of the records a model of shape <paramref name="serving"/> takes, or null.</summary>
    private static string? Incompatible(TrainingShape shadow, TrainingShape serving)
    {
        if (shadow.LabelSets.Length > 0 && serving.LabelSets.Length > 0 && !serving.LabelSets.Any(shadow.LabelSets.Contains))
        {
            return $"it was trained on labels {Labels(shadow)}, the serving model on {Labels(serving)}";
        }

        // A signal the serving model's training records never had: the records it serves will not have it either.
        foreach (var signal in shadow.Required.Order())
        {
            if (serving.Records > 0 && serving.SignalRecords[signal] == 0)
            {
                return $"it relies on {TrainingShape.Key(signal)} ({TrainingShape.FieldOf(signal)}), which none of the serving model's {serving.Records} training answers had";
            }
        }

        return null;
    }

    private static string Labels(TrainingShape shape) =>
        string.Join(" or ", shape.LabelSets.Select(s => "[" + string.Join(", ", s.Labels.Select(l => $"\"{l}\"")) + "]").Distinct());
}
