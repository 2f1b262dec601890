namespace Lpp;

/// <summary>
/// How one routing method did on labelled records. Counts follow the paper: TP = trusted and right, FP = trusted
/// and wrong, TN = escalated and wrong, FN = escalated and right.
/// </summary>
public sealed record MethodMetrics
{
    /// <summary>ROC AUC of the method's score against correctness (0.5 = no better than chance; higher is better).</summary>
    public double Auc { get; init; }

    /// <summary>F1 of the escalate decision for the class "LLM wrong": 2TN / (2TN + FN + FP) (higher is better).</summary>
    public double F1Error { get; init; }

    /// <summary>Mean of the F1 of both classes (higher is better).</summary>
    public double MacroF1 { get; init; }

    /// <summary>The cost model's cost (lower is better).</summary>
    public double Cost { get; init; }

    /// <summary>Trusted and right.</summary>
    public int Tp { get; init; }

    /// <summary>Trusted and wrong.</summary>
    public int Fp { get; init; }

    /// <summary>Escalated and wrong.</summary>
    public int Tn { get; init; }

    /// <summary>Escalated and right.</summary>
    public int Fn { get; init; }

    /// <summary>Items escalated (TN + FN).</summary>
    public int Escalations => Tn + Fn;

    /// <summary>Share of items escalated.</summary>
    public double EscalationRatio => Tp + Fp + Tn + Fn == 0 ? 0 : (double)Escalations / (Tp + Fp + Tn + Fn);

    /// <summary>Items trusted (TP + FP).</summary>
    public int Trusted => Tp + Fp;

    /// <summary>The realised error rate among trusted items, FP / (TP + FP) (lower is better); NaN when nothing was trusted.</summary>
    public double TrustedErrorRate => Trusted == 0 ? double.NaN : (double)Fp / Trusted;

    /// <summary>The exact (Clopper-Pearson) 95% interval of the error rate among trusted items; undefined when nothing was trusted.</summary>
    public Interval TrustedErrorInterval => Trusted == 0 ? Interval.Undefined : BinomialInterval.ClopperPearson(Fp, Trusted, 0.95);

    /// <summary>The method's threshold (null for always-trust).</summary>
    public double? Tau { get; init; }
}
