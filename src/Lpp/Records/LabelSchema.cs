namespace Lpp;

/// <summary>
/// The answer space of a task: the decision labels and the abstention labels with their attribution.
/// Records of one task share one instance (the parser caches them), so label matching is prepared once.
/// </summary>
public sealed class LabelSchema : IEquatable<LabelSchema>
{
    private readonly Dictionary<string, Attribution> _abstain;
    private readonly string _key;
    private readonly string[] _all;

    /// <summary>Creates a schema. Labels must be non-empty and distinct; an abstention label may not also be a decision label.</summary>
    /// <exception cref="ArgumentException">Empty labels, a duplicate label or an abstention label that is also a decision label.</exception>
    public LabelSchema(IReadOnlyList<string> labels, IReadOnlyList<KeyValuePair<string, Attribution>>? abstainLabels = null)
    {
        ArgumentNullException.ThrowIfNull(labels);
        if (labels.Count == 0)
        {
            throw new ArgumentException("labels must not be empty", nameof(labels));
        }

        // A set for the duplicate checks: a record's schema comes from its file, so its size is the input's to choose.
        var all = new List<string>(labels.Count + (abstainLabels?.Count ?? 0));
        var seen = new HashSet<string>(all.Capacity, StringComparer.Ordinal);
        foreach (var label in labels)
        {
            if (!seen.Add(label))
            {
                throw new ArgumentException($"duplicate label '{label}'", nameof(labels));
            }

            all.Add(label);
        }

        _abstain = new Dictionary<string, Attribution>(StringComparer.Ordinal);
        foreach (var (label, attribution) in abstainLabels ?? [])
        {
            if (!seen.Add(label))
            {
                throw new ArgumentException($"abstention label '{label}' is also a decision label", nameof(abstainLabels));
            }

            all.Add(label);
            _abstain[label] = attribution;
        }

        Labels = [.. labels];
        AbstainLabels = [.. abstainLabels ?? []];
        _all = [.. all];
        AllLabels = _all;
        Matcher = new LabelMatcher(AllLabels);
        _key = string.Join('\u001f', labels) + '\u001e' + string.Join('\u001f', AbstainLabels.Select(p => p.Key + '\u001d' + p.Value));
    }

    /// <summary>The moderation schema of the paper: labels 0 (no) and 1 (yes); 2 abstains for evidence, 3 for definition.</summary>
    public static LabelSchema Moderation { get; } = new(["0", "1"], [new("2", Attribution.Evidence), new("3", Attribution.Definition)]);

    /// <summary>The decision labels, in the order given.</summary>
    public IReadOnlyList<string> Labels { get; }

    /// <summary>The abstention labels with their attribution, in the order given.</summary>
    public IReadOnlyList<KeyValuePair<string, Attribution>> AbstainLabels { get; }

    /// <summary>Decision labels followed by abstention labels: the set A of the label-filtered features.</summary>
    public IReadOnlyList<string> AllLabels { get; }

    internal LabelMatcher Matcher { get; }

    /// <summary>True when <paramref name="outcome"/> is one of the decision labels.</summary>
    public bool IsDecisionLabel(string? outcome)
    {
        var index = IndexOf(outcome);
        return index >= 0 && index < Labels.Count;
    }

    /// <summary>The attribution of an abstention label, or null when <paramref name="outcome"/> is not one.</summary>
    public Attribution? AttributionOf(string? outcome) =>
        outcome is not null && _abstain.TryGetValue(outcome, out var attribution) ? attribution : null;

    /// <summary>Index of <paramref name="outcome"/> in <see cref="AllLabels"/>, or -1.</summary>
    public int IndexOf(string? outcome)
    {
        if (outcome is null)
        {
            return -1;
        }

        for (var i = 0; i < _all.Length; i++)
        {
            if (string.Equals(_all[i], outcome, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }

    /// <inheritdoc />
    public bool Equals(LabelSchema? other) => other is not null && string.Equals(_key, other._key, StringComparison.Ordinal);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as LabelSchema);

    /// <inheritdoc />
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(_key);
}
