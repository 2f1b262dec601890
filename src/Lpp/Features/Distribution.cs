namespace Lpp;

/// <summary>
/// Summary statistics of a discrete distribution sorted descending (p1 >= p2 >= ...), over n outcomes.
/// H = -sum p log2 p (bits); H_norm = H / log2 n (0 when n = 1); effective choices 2^H; confidence 1 - H_norm;
/// margin p1 - p2 (p2 = 0 when n = 1); normalised margin (p1 - p2) / max(p1, eps); ratio p1 / max(p2, eps).
/// </summary>
internal readonly record struct Distribution(double Entropy, double EntropyNorm, double EffectiveChoices, double Confidence, double Msp, double Margin, double MarginNorm, double Ratio)
{
    private const double Eps = LppFeatureDefaults.Eps;

    /// <summary>Statistics of <paramref name="sorted"/> (descending, summing to 1), whose length is the number of outcomes n.</summary>
    public static Distribution Of(ReadOnlySpan<double> sorted)
    {
        var n = sorted.Length;
        var h = EntropyOf(sorted);
        var hNorm = n > 1 ? h / Math.Log2(n) : 0;
        var p1 = sorted[0];
        var p2 = n > 1 ? sorted[1] : 0;
        return new Distribution(h, hNorm, double.Exp2(h), 1 - hNorm, p1, p1 - p2, (p1 - p2) / Math.Max(p1, Eps), p1 / Math.Max(p2, Eps));
    }

    /// <summary>Shannon entropy in bits; zero probabilities contribute nothing.</summary>
    public static double EntropyOf(ReadOnlySpan<double> p)
    {
        var h = 0.0;
        foreach (var x in p)
        {
            if (x > 0)
            {
                h -= x * Math.Log2(x);
            }
        }

        return h;
    }

    /// <summary>Writes the eight statistics to consecutive slots starting at <paramref name="first"/>.</summary>
    public void WriteTo(Span<double> f, int first)
    {
        f[first] = Entropy;
        f[first + 1] = EntropyNorm;
        f[first + 2] = EffectiveChoices;
        f[first + 3] = Confidence;
        f[first + 4] = Msp;
        f[first + 5] = Margin;
        f[first + 6] = MarginNorm;
        f[first + 7] = Ratio;
    }
}
