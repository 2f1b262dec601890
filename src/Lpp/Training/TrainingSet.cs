namespace Lpp;

/// <summary>
/// Labelled decisions ready for learning: every LPP feature of every record with a truth (NaN = missing), whether
/// the LLM was right (y = 1) and which records must never be dropped by resampling (abstentions, invalid outputs).
/// </summary>
public sealed class TrainingSet
{
    private TrainingSet(FeatureMatrix features, int[] correct, bool[] isProtected, int withoutTruth, int topK)
    {
        Features = features;
        Correct = correct;
        Protected = isProtected;
        WithoutTruth = withoutTruth;
        TopK = topK;
    }

    /// <summary>All <see cref="FeatureSchema"/> features, one row per labelled record.</summary>
    public FeatureMatrix Features { get; }

    /// <summary>1 when the LLM was right, 0 when it was wrong.</summary>
    public IReadOnlyList<int> Correct { get; }

    /// <summary>True for abstentions and invalid outputs (never dropped by undersampling).</summary>
    public IReadOnlyList<bool> Protected { get; }

    /// <summary>Records left out because their truth is unknown.</summary>
    public int WithoutTruth { get; }

    /// <summary>The top-k the features were computed with.</summary>
    public int TopK { get; }

    /// <summary>Number of labelled records.</summary>
    public int Count => Correct.Count;

    /// <summary>Number of LLM errors (y = 0).</summary>
    public int Errors => Correct.Count(c => c == 0);

    /// <summary>Computes the features of <paramref name="records"/>; records without truth are counted and left out.</summary>
    public static TrainingSet From(IEnumerable<DecisionRecord> records, LppFeatureExtractor extractor)
    {
        ArgumentNullException.ThrowIfNull(records);
        ArgumentNullException.ThrowIfNull(extractor);
        var values = new List<double>();
        var correct = new List<int>();
        var isProtected = new List<bool>();
        var withoutTruth = 0;
        var row = new double[FeatureSchema.Count];
        foreach (var record in records)
        {
            if (record.Correct is not { } right)
            {
                withoutTruth++;
                continue;
            }

            extractor.Extract(record, row);
            values.AddRange(row);
            correct.Add(right ? 1 : 0);
            isProtected.Add(record.OutcomeInvalid || record.Schema.AttributionOf(record.Output.Outcome) is not null);
        }

        var matrix = new FeatureMatrix(correct.Count, FeatureSchema.Count, values.ToArray());
        return new TrainingSet(matrix, [.. correct], [.. isProtected], withoutTruth, extractor.Options.TopK);
    }

    /// <summary>
    /// A set from features computed elsewhere (all <see cref="FeatureSchema"/> columns, NaN = missing), for checking
    /// the trainer against another tool on the same inputs.
    /// </summary>
    internal static TrainingSet FromFeatures(FeatureMatrix features, int[] correct, bool[] isProtected, int topK)
    {
        ArgumentNullException.ThrowIfNull(features);
        Guard.SameLength(features.Rows, correct.Length, nameof(correct), "one per row of features");
        Guard.SameLength(features.Rows, isProtected.Length, nameof(isProtected), "one per row of features");
        if (features.Columns != FeatureSchema.Count)
        {
            throw new ArgumentException($"features has {features.Columns} columns, not the schema's {FeatureSchema.Count}", nameof(features));
        }

        return new TrainingSet(features, [.. correct], [.. isProtected], 0, topK);
    }

    /// <summary>The rows <paramref name="rows"/> as a new set.</summary>
    public TrainingSet Subset(ReadOnlySpan<int> rows)
    {
        var correct = new int[rows.Length];
        var isProtected = new bool[rows.Length];
        for (var i = 0; i < rows.Length; i++)
        {
            correct[i] = Correct[rows[i]];
            isProtected[i] = Protected[rows[i]];
        }

        return new TrainingSet(Features.SelectRows(rows), correct, isProtected, 0, TopK);
    }
}
