using System.Globalization;

namespace Lpp.Serving.Tests;

/// <summary>
/// A reading of the Prometheus text format (0.0.4) for tests: the samples keyed by series, written the same way
/// whether the exporter writes a series without labels as <c>name</c> or <c>name{}</c>, and the HELP and TYPE lines.
/// </summary>
internal sealed class PrometheusText
{
    private PrometheusText(Dictionary<string, double> samples, Dictionary<string, string> help, Dictionary<string, string> types)
    {
        Samples = samples;
        Help = help;
        Types = types;
    }

    /// <summary>Every sample by series: <c>name</c> or <c>name{label="value",...}</c>, labels in name order.</summary>
    public IReadOnlyDictionary<string, double> Samples { get; }

    /// <summary>The HELP text of each metric family.</summary>
    public IReadOnlyDictionary<string, string> Help { get; }

    /// <summary>The TYPE of each metric family.</summary>
    public IReadOnlyDictionary<string, string> Types { get; }

    /// <summary>The value of <paramref name="series"/> (as keyed in <see cref="Samples"/>), or NaN when it is not exposed.</summary>
    public double this[string series] => Samples.TryGetValue(series, out var value) ? value : double.NaN;

    public static PrometheusText Parse(string text)
    {
        var samples = new Dictionary<string, double>(StringComparer.Ordinal);
        var help = new Dictionary<string, string>(StringComparer.Ordinal);
        var types = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in text.Split('\n'))
        {
            if (line.Length == 0)
            {
                continue;
            }

            if (line.StartsWith("# HELP ", StringComparison.Ordinal) || line.StartsWith("# TYPE ", StringComparison.Ordinal))
            {
                var rest = line[7..];
                var space = rest.IndexOf(' ', StringComparison.Ordinal);
                (line[2] == 'H' ? help : types)[rest[..space]] = rest[(space + 1)..];
                continue;
            }

            Assert.False(line.StartsWith('#'), $"unexpected comment line: {line}");
            var split = line.LastIndexOf(' ');
            Assert.True(split > 0, $"not a sample line: {line}");
            var value = line[(split + 1)..] switch
            {
                "NaN" => double.NaN,
                "+Inf" => double.PositiveInfinity,
                "-Inf" => double.NegativeInfinity,
                var v => double.Parse(v, NumberStyles.Float, CultureInfo.InvariantCulture),
            };
            Assert.True(samples.TryAdd(Key(line[..split]), value), $"series exposed twice: {line}");
        }

        return new PrometheusText(samples, help, types);
    }

    /// <summary>A series written canonically: labels sorted by name, <c>{}</c> dropped.</summary>
    private static string Key(string series)
    {
        var open = series.IndexOf('{', StringComparison.Ordinal);
        if (open < 0)
        {
            return series;
        }

        Assert.EndsWith("}", series, StringComparison.Ordinal);
        var labels = series[(open + 1)..^1].Split("\",", StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.EndsWith('"') ? l : l + "\"")
            .Order(StringComparer.Ordinal)
            .ToList();
        return labels.Count == 0 ? series[..open] : $"{series[..open]}{{{string.Join(',', labels)}}}";
    }
}
