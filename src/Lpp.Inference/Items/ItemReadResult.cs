namespace Lpp.Inference;

/// <summary>One line of an items file: an item, or the reason it was rejected.</summary>
/// <param name="Line">1-based line number.</param>
/// <param name="Item">The item, or null when rejected.</param>
/// <param name="Error">Why the line was rejected, or null.</param>
public sealed record ItemReadResult(long Line, InferenceItem? Item, string? Error)
{
    /// <summary>True when the line was rejected because an earlier line used the same id (a run refuses such a file).</summary>
    public bool Duplicate { get; init; }
}
