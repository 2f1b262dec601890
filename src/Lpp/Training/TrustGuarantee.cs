namespace Lpp;

/// <summary>
/// A threshold with a stated guarantee (<c>lpp train --max-trusted-error A</c>): on a calibration part held out from
/// training, Learn-then-Test fixed-sequence testing from high to low thresholds keeps lowering the threshold while
/// the Clopper-Pearson upper bound (at <see cref="Confidence"/>) on the error rate among trusted items stays at most
/// A; the deployed threshold is the larger of the lowest such threshold and the cost-optimal one. Valid when future
/// items are exchangeable with the calibration part (no drift). Written to the model file's optional
/// <c>guarantee</c> section.
/// </summary>
public sealed record TrustGuarantee
{
    /// <summary>A: the largest error rate among trusted items the guarantee allows.</summary>
    public double MaxTrustedError { get; init; }

    /// <summary>The confidence of the bound, e.g. 0.9: with this probability over the calibration draw, the error rate among trusted items is at most A.</summary>
    public double Confidence { get; init; }

    /// <summary>Records in the calibration part.</summary>
    public int CalibrationRecords { get; init; }

    /// <summary>LLM errors among them.</summary>
    public int CalibrationErrors { get; init; }

    /// <summary>What the thresholds apply to: "learned probability" or a signal's name.</summary>
    public string Scale { get; init; } = string.Empty;

    /// <summary>Whether some threshold passed; when none did the model escalates everything (unless trained with <c>--allow-infeasible</c>).</summary>
    public bool Feasible { get; init; }

    /// <summary>The lowest threshold the fixed-sequence test accepted (NaN when none).</summary>
    public double GuaranteedThreshold { get; init; } = double.NaN;

    /// <summary>The threshold the cost alone would deploy.</summary>
    public double CostOptimalThreshold { get; init; }

    /// <summary>The threshold deployed: max(guaranteed, cost-optimal) when feasible.</summary>
    public double DeployedThreshold { get; init; }

    /// <summary>Calibration items trusted at the deployed threshold.</summary>
    public int Trusted { get; init; }

    /// <summary>LLM errors among them.</summary>
    public int TrustedErrors { get; init; }

    /// <summary>The Clopper-Pearson upper bound at <see cref="Confidence"/> on the error rate among trusted items at the deployed threshold (0 when nothing is trusted).</summary>
    public double UpperBound { get; init; }
}
