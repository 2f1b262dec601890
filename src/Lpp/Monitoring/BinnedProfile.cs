using System.Collections.Immutable;

namespace Lpp;

/// <summary>
/// The distribution of one quantity (a feature or the score) as quantile bins: bin i holds the values v with
/// <c>edges[i-1] &lt; v ≤ edges[i]</c> (the first bin everything up to <c>edges[0]</c>, the last everything above the
/// last edge), and the missing values (NaN) are their own category. <see cref="Shares"/> and
/// <see cref="MissingShare"/> are shares of all values and add up to 1.
/// </summary>
/// <param name="Name">The feature's name, or <c>score</c>.</param>
/// <param name="Edges">Strictly increasing finite cut points, one fewer than <see cref="Shares"/>.</param>
/// <param name="Shares">The share of all values in each bin.</param>
/// <param name="MissingShare">The share of values that were missing.</param>
public sealed record BinnedProfile(string Name, ImmutableArray<double> Edges, ImmutableArray<double> Shares, double MissingShare)
{
    /// <summary>
    /// Bins <paramref name="values"/> (NaN = missing) into at most <paramref name="bins"/> quantile bins. The cut points
    /// are values that occur: the value at rank ⌈q·n⌉ of the sorted present values for q = 1/bins ... (bins−1)/bins,
    /// repeated ones merged, so a feature with few distinct values (an indicator) gets one bin per value.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="bins"/> below 2.</exception>
    /// <exception cref="ArgumentException">No values, or an infinite one.</exception>
    public static BinnedProfile Fit(string name, ReadOnlySpan<double> values, int bins = MonitoringDefaults.Bins) => Fit(name, values, [], bins);

    /// <summary>
    /// As <see cref="Fit(string, ReadOnlySpan{double}, int)"/> with each value counted with its weight in the shares
    /// (<paramref name="weights"/> one per value; empty: every value weighs 1); the edges are quantiles of the values.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="bins"/> below 2.</exception>
    /// <exception cref="ArgumentException">No values, an infinite one, or a weight count that differs.</exception>
    public static BinnedProfile Fit(string name, ReadOnlySpan<double> values, ReadOnlySpan<double> weights, int bins = MonitoringDefaults.Bins)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(bins, 2);
        if (values.IsEmpty)
        {
            throw new ArgumentException($"{name}: no values to profile", nameof(values));
        }

        var present = new List<double>(values.Length);
        foreach (var v in values)
        {
            if (double.IsInfinity(v))
            {
                throw new ArgumentException($"{name}: value {v} is not finite", nameof(values));
            }

            if (!double.IsNaN(v))
            {
                present.Add(v);
            }
        }

        present.Sort();
        var edges = new List<double>();
        for (var j = 1; j < bins && present.Count > 0; j++)
        {
            var rank = (int)Math.Ceiling((double)j * present.Count / bins);
            var edge = present[Math.Max(rank, 1) - 1];
            if (edges.Count == 0 || edge > edges[^1])
            {
                edges.Add(edge);
            }
        }

        // The top edge adds nothing when it is the largest value: the last bin would always be empty.
        if (edges.Count > 0 && present.Count > 0 && edges[^1] == present[^1])
        {
            edges.RemoveAt(edges.Count - 1);
        }

        var profile = new BinnedProfile(name, [.. edges], [.. new double[edges.Count + 1]], 0);
        if (!weights.IsEmpty)
        {
            Guard.SameLength(values.Length, weights.Length, nameof(weights), "one per value");
            var shares = new double[edges.Count + 1];
            double missing = 0, total = 0;
            for (var i = 0; i < values.Length; i++)
            {
                total += weights[i];
                if (double.IsNaN(values[i]))
                {
                    missing += weights[i];
                }
                else
                {
                    shares[profile.BinOf(values[i])] += weights[i];
                }
            }

            for (var b = 0; b < shares.Length; b++)
            {
                shares[b] /= total;
            }

            return profile with { Shares = [.. shares], MissingShare = missing / total };
        }

        var counter = new BinCounter(profile);
        foreach (var v in values)
        {
            counter.Add(v);
        }

        return profile with { Shares = counter.Shares(), MissingShare = (double)counter.Missing / counter.Total };
    }

    /// <summary>The bin of a present value (binary search over the edges).</summary>
    public int BinOf(double value)
    {
        var at = Edges.AsSpan().BinarySearch(value);
        return at >= 0 ? at : ~at;
    }

    /// <summary>
    /// The population stability index of <paramref name="actual"/> against this profile, over the bins and the
    /// missing category: PSI = Σ (a − e) · ln(a / e) over categories, each share floored at 1e-4 so an empty bin
    /// gives a large finite term. 0 is identical; above 0.2 is commonly read as a significant shift.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="actual"/> was counted on other bins, or counted nothing.</exception>
    public double Psi(BinCounter actual)
    {
        ArgumentNullException.ThrowIfNull(actual);
        if (actual.Profile.Edges.Length != Edges.Length || !actual.Profile.Edges.AsSpan().SequenceEqual(Edges.AsSpan()))
        {
            throw new ArgumentException($"{Name}: the counts were made on other bins", nameof(actual));
        }

        if (actual.Total == 0)
        {
            throw new ArgumentException($"{Name}: no values counted", nameof(actual));
        }

        var shares = actual.Shares();
        // The number of bins comes from a model file's training profile: on the stack only while small.
        var categories = Shares.Length + 1;
        Span<double> expected = categories <= 64 ? stackalloc double[categories] : new double[categories];
        Span<double> observed = categories <= 64 ? stackalloc double[categories] : new double[categories];
        Shares.AsSpan().CopyTo(expected);
        expected[^1] = MissingShare;
        shares.AsSpan().CopyTo(observed);
        observed[^1] = (double)actual.Missing / actual.Total;
        return PopulationStability.Index(expected, observed);
    }
}
