using System.Collections.Immutable;
using System.Globalization;

namespace Lpp;

/// <summary>
/// What a model's training records looked like: their label sets, how many of the records with a decision answer
/// carried each signal (and which signals the model relies on), and the <c>source</c> values seen. Stored in the model
/// file (section <c>training_shape</c>) and checked per record by <see cref="Check"/> before a record is scored, so a
/// record the model was not trained for (other labels, a missing signal) is refused rather than scored from imputed
/// values.
/// </summary>
public sealed class TrainingShape
{
    /// <summary>
    /// A signal is relied on when the model reads one of its features and at least this share of the training records
    /// with a decision answer had it (real providers drop a signal on a handful of answers: 2 of 3,270 for gpt-4o BoolQ).
    /// </summary>
    public const double RequiredShare = 0.99;

    /// <summary>At most this many distinct values are kept per <c>source</c> key.</summary>
    public const int MaxSourceValues = 100;

    /// <summary>Creates a shape from its parts (as computed, or as read from a model file).</summary>
    public TrainingShape(
        int records,
        IReadOnlyList<LabelSchema> labelSets,
        IReadOnlyDictionary<TrainingSignal, int> signalRecords,
        IReadOnlySet<TrainingSignal> required,
        IReadOnlyDictionary<string, IReadOnlyList<string>> sources)
    {
        ArgumentNullException.ThrowIfNull(labelSets);
        ArgumentNullException.ThrowIfNull(signalRecords);
        ArgumentNullException.ThrowIfNull(required);
        ArgumentNullException.ThrowIfNull(sources);
        ArgumentOutOfRangeException.ThrowIfNegative(records);
        Records = records;
        LabelSets = [.. labelSets];
        SignalRecords = Enum.GetValues<TrainingSignal>().ToImmutableSortedDictionary(s => s, s => signalRecords.TryGetValue(s, out var n) ? n : 0);
        Required = [.. required];
        Sources = new SortedDictionary<string, IReadOnlyList<string>>(sources.ToDictionary(p => p.Key, p => (IReadOnlyList<string>)[.. p.Value]), StringComparer.Ordinal);
    }

    /// <summary>Training records with a decision answer (neither an abstention nor invalid): the base of the signal counts.</summary>
    public int Records { get; }

    /// <summary>The distinct label schemas of the training records (labels and abstention labels).</summary>
    public ImmutableArray<LabelSchema> LabelSets { get; }

    /// <summary>How many of <see cref="Records"/> carried each signal.</summary>
    public ImmutableSortedDictionary<TrainingSignal, int> SignalRecords { get; }

    /// <summary>The signals the model relies on: a record with a decision answer without one of them is refused.</summary>
    public ImmutableHashSet<TrainingSignal> Required { get; }

    /// <summary>The <c>source</c> values seen per key (at most <see cref="MaxSourceValues"/> each, sorted).</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Sources { get; }

    /// <summary>The shape of <paramref name="records"/> (those with a truth: what training used) for a model reading <paramref name="featureNames"/>.</summary>
    public static TrainingShape Of(IEnumerable<DecisionRecord> records, IEnumerable<string> featureNames)
    {
        ArgumentNullException.ThrowIfNull(records);
        ArgumentNullException.ThrowIfNull(featureNames);
        var labelSets = new List<LabelSchema>();
        var counts = new Dictionary<TrainingSignal, int>();
        var sources = new Dictionary<string, SortedSet<string>>(StringComparer.Ordinal);
        var answered = 0;
        foreach (var record in records.Where(r => r.Truth is not null))
        {
            if (!labelSets.Contains(record.Schema))
            {
                labelSets.Add(record.Schema);
            }

            foreach (var (key, value) in record.Source)
            {
                var values = sources.TryGetValue(key, out var set) ? set : sources[key] = new SortedSet<string>(StringComparer.Ordinal);
                if (values.Count < MaxSourceValues)
                {
                    values.Add(value);
                }
            }

            if (!record.Schema.IsDecisionLabel(record.Output.Outcome))
            {
                continue;
            }

            answered++;
            foreach (var signal in Enum.GetValues<TrainingSignal>().Where(s => Has(record, s)))
            {
                counts[signal] = counts.GetValueOrDefault(signal) + 1;
            }
        }

        var read = featureNames.Select(SignalOf).OfType<TrainingSignal>().ToHashSet();
        var required = read.Where(s => answered > 0 && counts.GetValueOrDefault(s) >= RequiredShare * answered).ToHashSet();
        return new TrainingShape(answered, labelSets, counts, required, sources.ToDictionary(p => p.Key, p => (IReadOnlyList<string>)[.. p.Value], StringComparer.Ordinal));
    }

    /// <summary>The shape an older model file without a <c>training_shape</c> section implies: any labels, every signal the model reads required.</summary>
    public static TrainingShape Implied(EscalationModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var read = model.FeatureNames.Select(SignalOf).OfType<TrainingSignal>().ToHashSet();
        return new TrainingShape(0, [], new Dictionary<TrainingSignal, int>(), read, new Dictionary<string, IReadOnlyList<string>>());
    }

    /// <summary>
    /// Checks one record: null when the model was trained for records like it; otherwise the field at fault and why.
    /// A record whose labels are not one of <see cref="LabelSets"/> (when known) does not fit; nor does a record with a
    /// decision answer that lacks a <see cref="Required"/> signal. Abstentions and unparseable answers are routed by
    /// rule, not by score, so only their labels are checked.
    /// </summary>
    public ShapeMismatch? Check(DecisionRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (LabelSets.Length > 0 && !LabelSets.Contains(record.Schema))
        {
            var sameLabels = LabelSets.Where(s => s.Labels.SequenceEqual(record.Schema.Labels, StringComparer.Ordinal)).ToList();
            return sameLabels.Count == 0
                ? new ShapeMismatch("labels", $"labels {List(record.Schema.Labels)} are not the labels the model was trained on ({string.Join(" or ", LabelSets.Select(s => List(s.Labels)).Distinct())})")
                : new ShapeMismatch("abstain_labels", $"abstention labels {Abstentions(record.Schema)} are not the ones the model was trained on ({string.Join(" or ", sameLabels.Select(Abstentions))})");
        }

        if (!record.Schema.IsDecisionLabel(record.Output.Outcome))
        {
            return null;
        }

        foreach (var signal in Required)
        {
            if (!Has(record, signal))
            {
                var share = Records > 0 ? string.Create(CultureInfo.InvariantCulture, $": {100.0 * SignalRecords[signal] / Records:0.#}% of its training answers had them") : string.Empty;
                return new ShapeMismatch(FieldOf(signal), $"no {NameOf(signal)} ({FieldOf(signal)}), which the model relies on{share}");
            }
        }

        return null;
    }

    /// <summary>The training data's <c>source.model</c> values do not include the record's (null when they do, or either is unknown): a warning, not a refusal.</summary>
    public string? UnseenModel(DecisionRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return Sources.TryGetValue("model", out var models) && models.Count < MaxSourceValues
            && record.Source.TryGetValue("model", out var model) && !models.Contains(model, StringComparer.Ordinal)
            ? model
            : null;
    }

    /// <summary>Whether <paramref name="record"/> carries <paramref name="signal"/> (log-probabilities count when at least one alternative is usable).</summary>
    public static bool Has(DecisionRecord record, TrainingSignal signal)
    {
        ArgumentNullException.ThrowIfNull(record);
        var output = record.Output;
        return signal switch
        {
            TrainingSignal.Logprobs => output.OutcomeTopLogprobs?.Any(t => double.IsFinite(t.Logprob) && t.Logprob > -1000) == true,
            TrainingSignal.Reasoning => output.ReasoningTokens is { Count: > 0 },
            TrainingSignal.Verbalized => output.VerbalizedConfidence is not null,
            TrainingSignal.Band => output.Band is not null,
            _ => false,
        };
    }

    /// <summary>
    /// The signal a feature is computed from, or null: abstention features, the invalid-output flag and the availability
    /// indicators (<c>has_*</c>, which every model keeps and which say the signal is absent rather than need it).
    /// </summary>
    public static TrainingSignal? SignalOf(string feature)
    {
        ArgumentNullException.ThrowIfNull(feature);
        return feature switch
        {
            "verbalized_confidence" => TrainingSignal.Verbalized,
            _ when feature.StartsWith("topk_", StringComparison.Ordinal) || feature.StartsWith("label_", StringComparison.Ordinal) || feature.StartsWith("logodds_", StringComparison.Ordinal) => TrainingSignal.Logprobs,
            _ when feature.StartsWith("reasoning_", StringComparison.Ordinal) => TrainingSignal.Reasoning,
            _ when feature.StartsWith("band_", StringComparison.Ordinal) => TrainingSignal.Band,
            _ => null,
        };
    }

    /// <summary>The file name of a signal: logprobs, reasoning, verbalized, band.</summary>
    public static string Key(TrainingSignal signal) => signal.ToString().ToLowerInvariant();

    /// <summary>The record field that carries a signal.</summary>
    public static string FieldOf(TrainingSignal signal) => signal switch
    {
        TrainingSignal.Logprobs => "output.outcome_top_logprobs",
        TrainingSignal.Reasoning => "output.reasoning_tokens",
        TrainingSignal.Verbalized => "output.verbalized_confidence",
        _ => "output.band",
    };

    private static string NameOf(TrainingSignal signal) => signal switch
    {
        TrainingSignal.Logprobs => "log-probabilities",
        TrainingSignal.Reasoning => "reasoning tokens",
        TrainingSignal.Verbalized => "verbalized confidence",
        _ => "confidence band",
    };

    private static string List(IEnumerable<string> labels) => "[" + string.Join(",", labels.Select(l => $"\"{l}\"")) + "]";

    private static string Abstentions(LabelSchema schema) =>
        "{" + string.Join(",", schema.AbstainLabels.Select(p => $"\"{p.Key}\": \"{(p.Value == Attribution.Evidence ? "evidence" : "definition")}\"")) + "}";
}
