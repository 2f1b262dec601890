namespace Lpp;

/// <summary>The population stability index, the usual measure of how far a distribution has drifted from a reference.</summary>
public static class PopulationStability
{
    /// <summary>
    /// PSI = Σ_i (a_i − e_i) · ln(a_i / e_i) over categories with reference shares e and observed shares a, each
    /// share floored at 1e-4 first (an empty category would make the term infinite). 0 means the same
    /// distribution; lower is better. Rule of thumb: below 0.1 stable, 0.1-0.2 a moderate shift, above 0.2 a
    /// significant one. Symmetric in its two arguments.
    /// </summary>
    /// <exception cref="ArgumentException">Lengths differ, or a share is negative or not a number.</exception>
    public static double Index(ReadOnlySpan<double> expected, ReadOnlySpan<double> actual)
    {
        Guard.SameLength(expected.Length, actual.Length, nameof(actual), "one share per category of the reference");
        var psi = 0.0;
        for (var i = 0; i < expected.Length; i++)
        {
            if (!(expected[i] >= 0) || !(actual[i] >= 0))
            {
                throw new ArgumentException($"share {i} is negative or not a number (reference {expected[i]}, observed {actual[i]})", nameof(actual));
            }

            var e = Math.Max(expected[i], MonitoringDefaults.EmptyShare);
            var a = Math.Max(actual[i], MonitoringDefaults.EmptyShare);
            psi += (a - e) * Math.Log(a / e);
        }

        return psi;
    }
}
