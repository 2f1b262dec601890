using System.Collections.Immutable;

namespace Lpp;

/// <summary>
/// Row indices of a training part and a disjoint test (held-out) part, each in increasing order. Two splits are equal
/// when they hold the same indices.
/// </summary>
/// <param name="Train">Rows to fit on.</param>
/// <param name="Test">Rows held out for evaluation or calibration.</param>
public sealed record IndexSplit(ImmutableArray<int> Train, ImmutableArray<int> Test)
{
    /// <summary>True when both parts hold the same indices in the same order.</summary>
    public bool Equals(IndexSplit? other) =>
        other is not null && Train.AsSpan().SequenceEqual(other.Train.AsSpan()) && Test.AsSpan().SequenceEqual(other.Test.AsSpan());

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        var hash = default(HashCode);
        hash.Add(Train.IsDefault ? -1 : Train.Length);
        hash.Add(Test.IsDefault ? -1 : Test.Length);
        foreach (var row in Test.IsDefault ? [] : Test.AsSpan())
        {
            hash.Add(row);
        }

        return hash.ToHashCode();
    }
}
