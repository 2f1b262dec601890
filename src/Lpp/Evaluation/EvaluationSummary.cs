namespace Lpp;

/// <summary>
/// Everything <c>lpp evaluate</c> reports about one model on one set of records: counts, metrics per method with
/// bootstrap intervals, metrics per group of each varying source attribute, and the data of the plots. Records
/// without truth are counted but left out of every metric.
/// </summary>
public sealed class EvaluationSummary
{
    private EvaluationSummary(EvaluationSet set, IReadOnlyDictionary<Method, MethodMetrics> methods, IReadOnlyDictionary<Method, MethodIntervals> intervals, IReadOnlyList<GroupMetrics> groups, IReadOnlyList<MethodCurves> curves, IReadOnlyList<ReliabilityBin> reliability, int draws, int seed)
    {
        Set = set;
        Methods = methods;
        Intervals = intervals;
        Groups = groups;
        Curves = curves;
        Reliability = reliability;
        BootstrapDraws = draws;
        BootstrapSeed = seed;
    }

    /// <summary>The routed records.</summary>
    public EvaluationSet Set { get; }

    /// <summary>The model evaluated.</summary>
    public EscalationModel Model => Set.Model;

    /// <summary>All records scored.</summary>
    public int Records => Set.Rows.Count;

    /// <summary>Records with a truth (the ones measured).</summary>
    public int Labelled => Set.Labelled;

    /// <summary>Records scored but left out of the metrics because their truth is unknown.</summary>
    public int WithoutTruth => Records - Labelled;

    /// <summary>LLM errors among the labelled records.</summary>
    public int Errors => Set.Errors;

    /// <summary>Metrics by method over all labelled records.</summary>
    public IReadOnlyDictionary<Method, MethodMetrics> Methods { get; }

    /// <summary>Bootstrap intervals of cost and AUC by method.</summary>
    public IReadOnlyDictionary<Method, MethodIntervals> Intervals { get; }

    /// <summary>Metrics per value of each source attribute that takes more than one value (attribute order of first appearance, values sorted).</summary>
    public IReadOnlyList<GroupMetrics> Groups { get; }

    /// <summary>ROC and cost curves by method, in <see cref="Evaluator.Methods"/> order.</summary>
    public IReadOnlyList<MethodCurves> Curves { get; }

    /// <summary>Reliability bins of the meta-model's score (10 equal-width bins).</summary>
    public IReadOnlyList<ReliabilityBin> Reliability { get; }

    /// <summary>Bootstrap resamples drawn.</summary>
    public int BootstrapDraws { get; }

    /// <summary>Seed of the bootstrap.</summary>
    public int BootstrapSeed { get; }

    /// <summary>Measures <paramref name="set"/>: metrics, <paramref name="draws"/> bootstrap resamples seeded by <paramref name="seed"/>, groups and curves.</summary>
    /// <exception cref="ArgumentException">No labelled record, or the labelled records hold one class only.</exception>
    public static EvaluationSummary From(EvaluationSet set, int draws, int seed)
    {
        ArgumentNullException.ThrowIfNull(set);
        var labelled = set.Rows.Where(r => r.Correct is not null).ToList();
        if (labelled.Count == 0)
        {
            throw new ArgumentException(set.Rows.Count == 0 ? "the test set holds no records" : $"none of the {set.Rows.Count} records has a truth label", nameof(set));
        }

        var errors = labelled.Count(r => r.Correct == false);
        if (errors == 0 || errors == labelled.Count)
        {
            throw new ArgumentException($"all {labelled.Count} labelled answers are {(errors == 0 ? "correct" : "incorrect")}: evaluation needs both correct and incorrect answers", nameof(set));
        }

        var methods = set.Measure(labelled);
        var intervals = Bootstrap.Intervals(labelled, set.Model.Cost, draws, seed);
        var correct = labelled.Select(r => r.Correct == true).ToArray();
        var curves = new List<MethodCurves>();
        foreach (var method in Evaluator.Methods)
        {
            var scores = labelled.Select(r => r.Scores[method]).ToArray();
            var routed = labelled.Select(r => r.RoutedScore(method)).ToArray();
            curves.Add(new MethodCurves(method, Lpp.Curves.Roc(scores, correct), Lpp.Curves.CostAgainstTau(routed, correct, set.Model.Cost), set.TauOf(method)));
        }

        var meta = labelled.Select(r => r.Scores[Method.MetaModel]).ToArray();
        var reliability = Lpp.Curves.Reliability(meta, correct);
        return new EvaluationSummary(set, methods, intervals, GroupsOf(set, labelled), curves, reliability, draws, seed);
    }

    private static List<GroupMetrics> GroupsOf(EvaluationSet set, List<EvaluatedRecord> labelled)
    {
        var keys = new List<string>();
        foreach (var row in labelled)
        {
            foreach (var key in row.Source.Keys)
            {
                if (!keys.Contains(key, StringComparer.Ordinal))
                {
                    keys.Add(key);
                }
            }
        }

        var groups = new List<GroupMetrics>();
        foreach (var key in keys)
        {
            var byValue = labelled.GroupBy(r => r.Source.GetValueOrDefault(key) ?? "(none)", StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal).ToList();
            if (byValue.Count < 2)
            {
                continue;
            }

            foreach (var group in byValue)
            {
                var rows = group.ToList();
                groups.Add(new GroupMetrics(key, group.Key, rows.Count, rows.Count(r => r.Correct == false), set.Measure(rows)));
            }
        }

        return groups;
    }
}
