namespace Lpp.Serving;

/// <summary>An unreviewed escalated decision: decision <paramref name="K"/> of request <paramref name="RequestRef"/>.</summary>
/// <param name="Queue">Its escalation queue.</param>
/// <param name="Cost">c_error × (1 − score).</param>
/// <param name="Score">Calibrated P(the LLM is right).</param>
/// <param name="RequestRef">The request's row.</param>
/// <param name="K">The decision's number in its request.</param>
internal readonly record struct PendingItem(string Queue, double Cost, double Score, long RequestRef, int K)
{
    /// <summary>Most costly first, lowest score first where costs tie, then by request and number (oldest first).</summary>
    public static IComparer<PendingItem> Order { get; } = Comparer<PendingItem>.Create((a, b) =>
    {
        var c = b.Cost.CompareTo(a.Cost);
        c = c != 0 ? c : a.Score.CompareTo(b.Score);
        c = c != 0 ? c : a.RequestRef.CompareTo(b.RequestRef);
        return c != 0 ? c : a.K.CompareTo(b.K);
    });
}
