namespace Lpp;

/// <summary>Records routed by every method of one model, ready to be measured as a whole or by group.</summary>
public sealed class EvaluationSet(EscalationModel model, IReadOnlyList<EvaluatedRecord> rows)
{
    /// <summary>The model evaluated.</summary>
    public EscalationModel Model { get; } = model;

    /// <summary>The costs by severity the records were routed and are counted with; null when the model's single cost model applies.</summary>
    public SeverityCosts? Costs { get; init; }

    /// <summary>Every record, labelled or not.</summary>
    public IReadOnlyList<EvaluatedRecord> Rows { get; } = rows;

    /// <summary>Records with a known truth.</summary>
    public int Labelled => Rows.Count(r => r.Correct is not null);

    /// <summary>LLM errors among the labelled records.</summary>
    public int Errors => Rows.Count(r => r.Correct == false);

    /// <summary>The threshold of a method as the model holds it (null for always-trust).</summary>
    public double? TauOf(Method method) => method.Kind switch
    {
        MethodKind.MetaModel => Model.Tau,
        MethodKind.Signal => Model.Baselines.FirstOrDefault(b => b.Method == method)?.Tau,
        _ => null,
    };

    /// <summary>Every method measured over <paramref name="rows"/> (default: all rows).</summary>
    public IReadOnlyDictionary<Method, MethodMetrics> Measure(IReadOnlyList<EvaluatedRecord>? rows = null)
    {
        rows ??= Rows;
        var result = new Dictionary<Method, MethodMetrics>();
        foreach (var method in Evaluator.Methods)
        {
            result[method] = Evaluator.Measure(rows, method, Model.Cost, TauOf(method));
        }

        return result;
    }
}
