namespace Lpp;

/// <summary>The meta-model against a dataset's best single signal, judged against the split-to-split noise.</summary>
public enum DatasetOutcome
{
    /// <summary>The mean cost difference is within two standard errors of zero.</summary>
    Unclear,

    /// <summary>The meta-model is cheaper by more than two standard errors.</summary>
    Helps,

    /// <summary>The meta-model is dearer by more than two standard errors.</summary>
    Hurts,

    /// <summary>The meta-model, or every single signal, could not run on any split: nothing to compare.</summary>
    NotMeasured,
}
