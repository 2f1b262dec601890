using System.Collections.Immutable;

namespace Lpp;

/// <summary>
/// Counts values into the bins of a <see cref="BinnedProfile"/> as they stream by (memory is one counter per bin),
/// for the population stability index of production traffic against the training profile. Not thread-safe.
/// </summary>
public sealed class BinCounter(BinnedProfile profile)
{
    private readonly long[] _counts = new long[profile.Edges.Length + 1];

    /// <summary>The bins counted into.</summary>
    public BinnedProfile Profile { get; } = profile;

    /// <summary>Values counted, missing ones included.</summary>
    public long Total { get; private set; }

    /// <summary>Missing values (NaN) counted.</summary>
    public long Missing { get; private set; }

    /// <summary>Counts one value; NaN counts as missing.</summary>
    public void Add(double value)
    {
        Total++;
        if (double.IsNaN(value))
        {
            Missing++;
            return;
        }

        _counts[Profile.BinOf(value)]++;
    }

    /// <summary>The share of all counted values in each bin (zeros when nothing was counted).</summary>
    public ImmutableArray<double> Shares()
    {
        var total = Total;
        return [.. _counts.Select(c => total == 0 ? 0.0 : (double)c / total)];
    }
}
