using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace Lpp;

/// <summary>
/// The <c>source</c> attributes of a record: a small ordered string map kept in two arrays (records carry a handful
/// of attributes, so a linear lookup beats hashing and costs a fraction of a dictionary's memory).
/// </summary>
public sealed class SourceAttributes : IReadOnlyDictionary<string, string>
{
    private readonly string[] _keys;
    private readonly string[] _values;

    /// <summary>Creates the map from pairs in order; a repeated key keeps its last value.</summary>
    public SourceAttributes(IEnumerable<KeyValuePair<string, string>> pairs)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        var keys = new List<string>();
        var values = new List<string>();
        foreach (var (key, value) in pairs)
        {
            var at = keys.IndexOf(key);
            if (at >= 0)
            {
                values[at] = value;
            }
            else
            {
                keys.Add(key);
                values.Add(value);
            }
        }

        _keys = [.. keys];
        _values = [.. values];
    }

    internal SourceAttributes(string[] keys, string[] values)
    {
        _keys = keys;
        _values = values;
    }

    /// <summary>From pairs already free of repeated keys (the parser's buffer).</summary>
    internal static SourceAttributes FromDistinct(List<KeyValuePair<string, string>> pairs)
    {
        var keys = new string[pairs.Count];
        var values = new string[pairs.Count];
        for (var i = 0; i < pairs.Count; i++)
        {
            (keys[i], values[i]) = pairs[i];
        }

        return new SourceAttributes(keys, values);
    }

    /// <summary>No attributes.</summary>
    public static SourceAttributes Empty { get; } = new([]);

    /// <inheritdoc />
    public int Count => _keys.Length;

    /// <inheritdoc />
    public IEnumerable<string> Keys => _keys;

    /// <inheritdoc />
    public IEnumerable<string> Values => _values;

    /// <inheritdoc />
    public string this[string key] => TryGetValue(key, out var value) ? value : throw new KeyNotFoundException($"source has no attribute '{key}'");

    /// <inheritdoc />
    public bool ContainsKey(string key) => Array.IndexOf(_keys, key) >= 0;

    /// <inheritdoc />
    public bool TryGetValue(string key, [MaybeNullWhen(false)] out string value)
    {
        for (var i = 0; i < _keys.Length; i++)
        {
            if (string.Equals(_keys[i], key, StringComparison.Ordinal))
            {
                value = _values[i];
                return true;
            }
        }

        value = null;
        return false;
    }

    /// <inheritdoc />
    public IEnumerator<KeyValuePair<string, string>> GetEnumerator()
    {
        for (var i = 0; i < _keys.Length; i++)
        {
            yield return new(_keys[i], _values[i]);
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
