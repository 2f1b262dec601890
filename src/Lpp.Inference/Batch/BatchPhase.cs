namespace Lpp.Inference;

/// <summary>What a batch status means for the run.</summary>
public enum BatchPhase
{
    /// <summary>Not finished: validating, in progress, finalizing, cancelling, pending, running.</summary>
    Running,

    /// <summary>Finished: every request has an answer or an error.</summary>
    Completed,

    /// <summary>Refused as a whole (invalid file, quota): no request ran.</summary>
    Failed,

    /// <summary>Not finished within the window: the finished part has answers, the rest is submitted again.</summary>
    Expired,

    /// <summary>Cancelled: the finished part has answers, the rest is submitted again.</summary>
    Cancelled,
}
