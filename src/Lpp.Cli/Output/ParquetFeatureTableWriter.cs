using Parquet;
using Parquet.Schema;

namespace Lpp.Cli;

/// <summary>Parquet: string columns for identity and source, nullable int for correct, nullable double for features.</summary>
internal sealed class ParquetFeatureTableWriter : FeatureTableWriter
{
    private const int RowGroupSize = 65_536;
    private readonly Stream _stream;
    private readonly ParquetSchema _schema;
    private readonly List<string?>[] _text;
    private readonly List<int?> _correct = new(RowGroupSize);
    private readonly List<double?>[] _features;
    private ParquetWriter? _writer;

    public ParquetFeatureTableWriter(Stream stream, IReadOnlyList<string> sourceKeys)
        : base(sourceKeys)
    {
        _stream = stream;
        var textColumns = new List<string> { "id", "outcome", "truth" };
        textColumns.AddRange(sourceKeys.Select(k => "source." + k));
        var fields = new List<Field>();
        fields.AddRange(textColumns.Take(3).Select(n => new DataField<string>(n, true)));
        fields.Add(new DataField<int?>("correct"));
        fields.AddRange(textColumns.Skip(3).Select(n => new DataField<string>(n, true)));
        fields.AddRange(FeatureSchema.Names.Select(n => new DataField<double?>(n)));
        _schema = new ParquetSchema(fields);
        _text = [.. textColumns.Select(_ => new List<string?>(RowGroupSize))];
        _features = [.. FeatureSchema.Names.Select(_ => new List<double?>(RowGroupSize))];
    }

    public override async ValueTask WriteAsync(DecisionRecord record, ReadOnlyMemory<double> features)
    {
        _text[0].Add(record.Id);
        _text[1].Add(record.Output.Outcome);
        _text[2].Add(record.Truth);
        _correct.Add(record.Correct switch { true => 1, false => 0, null => null });
        for (var i = 0; i < SourceKeys.Count; i++)
        {
            _text[3 + i].Add(record.Source.GetValueOrDefault(SourceKeys[i]));
        }

        var span = features.Span;
        for (var i = 0; i < _features.Length; i++)
        {
            _features[i].Add(double.IsNaN(span[i]) ? null : span[i]);
        }

        if (_correct.Count >= RowGroupSize)
        {
            await FlushAsync().ConfigureAwait(false);
        }
    }

    public override async ValueTask DisposeAsync()
    {
        if (_correct.Count > 0 || _writer is null)
        {
            await FlushAsync().ConfigureAwait(false);
        }

        if (_writer is not null)
        {
            await _writer.DisposeAsync().ConfigureAwait(false);
        }

        await _stream.DisposeAsync().ConfigureAwait(false);
    }

    private async Task FlushAsync()
    {
        _writer ??= await ParquetWriter.CreateAsync(_schema, _stream).ConfigureAwait(false);
        using var group = _writer.CreateRowGroup();

        var fields = _schema.GetDataFields();
        var column = 0;
        for (var i = 0; i < 3; i++)
        {
            await group.WriteAsync(fields[column++], _text[i]).ConfigureAwait(false);
        }

        await group.WriteAsync<int>(fields[column++], _correct.ToArray()).ConfigureAwait(false);
        for (var i = 3; i < _text.Length; i++)
        {
            await group.WriteAsync(fields[column++], _text[i]).ConfigureAwait(false);
        }

        foreach (var values in _features)
        {
            await group.WriteAsync<double>(fields[column++], values.ToArray()).ConfigureAwait(false);
        }

        foreach (var list in _text)
        {
            list.Clear();
        }

        _correct.Clear();
        foreach (var list in _features)
        {
            list.Clear();
        }
    }
}
