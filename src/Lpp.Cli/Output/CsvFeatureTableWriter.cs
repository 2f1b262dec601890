using System.Globalization;

namespace Lpp.Cli;

/// <summary>CSV (RFC 4180 quoting, invariant culture, shortest round-trip doubles, empty cell = missing).</summary>
internal sealed class CsvFeatureTableWriter : FeatureTableWriter
{
    private readonly StreamWriter _writer;
    private readonly char[] _number = new char[32];

    public CsvFeatureTableWriter(StreamWriter writer, IReadOnlyList<string> sourceKeys)
        : base(sourceKeys)
    {
        _writer = writer;
        _writer.WriteLine(string.Join(',', Columns.Select(Quote)));
    }

    public override ValueTask WriteAsync(DecisionRecord record, ReadOnlyMemory<double> features)
    {
        _writer.Write(Quote(record.Id));
        _writer.Write(',');
        _writer.Write(Quote(record.Output.Outcome));
        _writer.Write(',');
        _writer.Write(Quote(record.Truth));
        _writer.Write(',');
        _writer.Write(record.Correct switch { true => "1", false => "0", null => string.Empty });
        foreach (var key in SourceKeys)
        {
            _writer.Write(',');
            _writer.Write(Quote(record.Source.GetValueOrDefault(key)));
        }

        foreach (var value in features.Span)
        {
            _writer.Write(',');
            if (!double.IsNaN(value) && value.TryFormat(_number, out var written, "R", CultureInfo.InvariantCulture))
            {
                _writer.Write(_number, 0, written);
            }
        }

        _writer.Write('\n');
        return ValueTask.CompletedTask;
    }

    public override async ValueTask DisposeAsync() => await _writer.DisposeAsync().ConfigureAwait(false);

    internal static string Quote(string? value)
    {
        if (value is null)
        {
            return string.Empty;
        }

        return value.AsSpan().IndexOfAny(",\"\r\n") < 0 ? value : "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
    }
}
