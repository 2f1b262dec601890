namespace Lpp.Cli;

/// <summary>
/// Writes one row per record: <c>id, outcome, truth, correct</c>, the source attributes as <c>source.KEY</c>
/// columns, then the features in <see cref="FeatureSchema"/> order. Missing values are empty (CSV) or null (Parquet).
/// </summary>
internal abstract class FeatureTableWriter : IAsyncDisposable
{
    protected FeatureTableWriter(IReadOnlyList<string> sourceKeys) => SourceKeys = sourceKeys;

    /// <summary>The source attributes written as columns, in column order.</summary>
    public IReadOnlyList<string> SourceKeys { get; }

    /// <summary>The column names, in order.</summary>
    public IEnumerable<string> Columns =>
        ["id", "outcome", "truth", "correct", .. SourceKeys.Select(k => "source." + k), .. FeatureSchema.Names];

    /// <summary>Opens a CSV or Parquet writer, chosen by the extension of <paramref name="path"/>.</summary>
    public static FeatureTableWriter Create(string path, IReadOnlyList<string> sourceKeys)
    {
        var extension = Path.GetExtension(path).ToLowerInvariant();
        return extension switch
        {
            ".csv" => new CsvFeatureTableWriter(OutputFiles.CreateText(path, "--output"), sourceKeys),
            ".parquet" => new ParquetFeatureTableWriter(OutputFiles.Create(path, "--output"), sourceKeys),
            _ => throw new CliException($"--output {path}: unknown format '{extension}' (use .csv or .parquet)"),
        };
    }

    /// <summary>Writes the row of <paramref name="record"/> with its <paramref name="features"/>.</summary>
    public abstract ValueTask WriteAsync(DecisionRecord record, ReadOnlyMemory<double> features);

    /// <inheritdoc />
    public abstract ValueTask DisposeAsync();
}
