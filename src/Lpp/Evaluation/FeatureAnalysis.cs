namespace Lpp;

/// <summary>
/// The feature analysis of the paper's reference code, over labelled records: each feature's correlation with
/// correctness and its significance, the variance inflation factors, the groups of near-duplicate features and the
/// feature-feature correlation matrix (the heatmap's data). Feature-feature numbers are computed on the features as
/// the model sees them (missing values imputed with the median of the records); the correlation with correctness only
/// on the records where the feature is present, so a missing signal is never read as a value.
/// </summary>
public sealed class FeatureAnalysis
{
    /// <summary>|Pearson correlation| from which two features count as near duplicates.</summary>
    public const double DuplicateCorrelation = 0.95;

    /// <summary>Ridge added to the correlation matrix's diagonal before inverting it for the VIFs, so exact duplicates give a very large finite VIF instead of a failure.</summary>
    public const double VifRidge = 1e-8;

    private FeatureAnalysis(IReadOnlyList<FeatureStatistics> features, IReadOnlyList<FeatureGroup> groups, double[,] correlations, int records)
    {
        Features = features;
        Groups = groups;
        Correlations = correlations;
        Records = records;
    }

    /// <summary>One entry per analysed feature, in schema order.</summary>
    public IReadOnlyList<FeatureStatistics> Features { get; }

    /// <summary>Groups of near-duplicate features (a feature on its own is a group of one), in order of their lead's |correlation with correctness|, strongest first.</summary>
    public IReadOnlyList<FeatureGroup> Groups { get; }

    /// <summary>Feature-feature Pearson correlations in <see cref="Features"/> order (NaN where a feature is constant).</summary>
    public double[,] Correlations { get; }

    /// <summary>Labelled records analysed.</summary>
    public int Records { get; }

    /// <summary>
    /// Analyses the features <paramref name="names"/> (e.g. those a model reads) over <paramref name="data"/>. Features
    /// no record has are left out.
    /// </summary>
    /// <exception cref="ArgumentException">Fewer than 3 labelled records, or a name is not a feature.</exception>
    public static FeatureAnalysis Of(TrainingSet data, IReadOnlyList<string> names)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(names);
        if (data.Count < 3)
        {
            throw new ArgumentException($"the feature analysis needs at least 3 labelled records (got {data.Count})", nameof(data));
        }

        var n = data.Count;
        var y = data.Correct.Select(c => (double)c).ToArray();
        var columns = new List<(string Name, double[] Raw)>();
        foreach (var name in names)
        {
            var index = FeatureSchema.IndexOf(name);
            if (index < 0)
            {
                throw new ArgumentException($"'{name}' is not a feature", nameof(names));
            }

            var raw = new double[n];
            for (var r = 0; r < n; r++)
            {
                raw[r] = data.Features[r, index];
            }

            if (raw.Any(v => !double.IsNaN(v)))
            {
                columns.Add((name, raw));
            }
        }

        var p = columns.Count;
        var imputed = columns.Select(c => Impute(c.Raw)).ToArray();
        var correlations = new double[p, p];
        for (var a = 0; a < p; a++)
        {
            correlations[a, a] = IsConstant(imputed[a]) ? double.NaN : 1;
            for (var b = 0; b < a; b++)
            {
                correlations[a, b] = correlations[b, a] = Pearson(imputed[a], imputed[b]);
            }
        }

        var vif = Vifs(correlations);
        var withCorrect = new (int Present, double R, double P)[p];
        for (var j = 0; j < p; j++)
        {
            var present = Enumerable.Range(0, n).Where(r => !double.IsNaN(columns[j].Raw[r])).ToArray();
            var r = Pearson(present.Select(i => columns[j].Raw[i]).ToArray(), present.Select(i => y[i]).ToArray());
            withCorrect[j] = (present.Length, r, PValue(r, present.Length));
        }

        var groups = Group(columns.Select(c => c.Name).ToList(), correlations, withCorrect.Select(w => w.R).ToArray(), out var groupOf);
        var features = new List<FeatureStatistics>();
        for (var j = 0; j < p; j++)
        {
            features.Add(new FeatureStatistics(columns[j].Name, FeatureSchema.All[FeatureSchema.IndexOf(columns[j].Name)].Family, withCorrect[j].Present, withCorrect[j].R, withCorrect[j].P, vif[j], groupOf[j]));
        }

        return new FeatureAnalysis(features, groups, correlations, n);
    }

    /// <summary>Pearson correlation of two equally long samples; NaN when either is constant or shorter than 2.</summary>
    public static double Pearson(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        if (x.Length != y.Length)
        {
            throw new ArgumentException($"samples of {x.Length} and {y.Length} values", nameof(y));
        }

        if (x.Length < 2)
        {
            return double.NaN;
        }

        double mx = 0, my = 0;
        for (var i = 0; i < x.Length; i++)
        {
            mx += x[i];
            my += y[i];
        }

        mx /= x.Length;
        my /= y.Length;
        double sxy = 0, sxx = 0, syy = 0;
        for (var i = 0; i < x.Length; i++)
        {
            sxy += (x[i] - mx) * (y[i] - my);
            sxx += (x[i] - mx) * (x[i] - mx);
            syy += (y[i] - my) * (y[i] - my);
        }

        return sxx <= 0 || syy <= 0 ? double.NaN : Math.Clamp(sxy / Math.Sqrt(sxx * syy), -1, 1);
    }

    /// <summary>
    /// Two-sided p-value of a Pearson correlation <paramref name="r"/> over <paramref name="n"/> pairs against 0:
    /// t = r·√((n − 2)/(1 − r²)) has a Student t distribution with n − 2 degrees of freedom, and
    /// P(|T| ≥ |t|) = I_{(n−2)/(n−2+t²)}((n − 2)/2, 1/2) (scipy.stats.pearsonr's). NaN for n &lt; 3 or an undefined r.
    /// </summary>
    public static double PValue(double r, int n)
    {
        if (n < 3 || double.IsNaN(r))
        {
            return double.NaN;
        }

        if (Math.Abs(r) >= 1)
        {
            return 0;
        }

        var df = n - 2.0;
        var t2 = r * r * df / (1 - (r * r));
        return BinomialInterval.RegularizedBeta(df / (df + t2), df / 2, 0.5);
    }

    private static double[] Impute(double[] raw)
    {
        var present = raw.Where(v => !double.IsNaN(v)).Order().ToArray();
        var median = present.Length % 2 == 1 ? present[present.Length / 2] : (present[(present.Length / 2) - 1] + present[present.Length / 2]) / 2;
        return [.. raw.Select(v => double.IsNaN(v) ? median : v)];
    }

    private static bool IsConstant(double[] values) => values.All(v => v == values[0]);

    /// <summary>VIF_j = (R⁻¹)_jj over the non-constant features (R with <see cref="VifRidge"/> on its diagonal); NaN for a constant feature.</summary>
    private static double[] Vifs(double[,] correlations)
    {
        var p = correlations.GetLength(0);
        var live = Enumerable.Range(0, p).Where(j => !double.IsNaN(correlations[j, j])).ToArray();
        var d = live.Length;
        var result = Enumerable.Repeat(double.NaN, p).ToArray();
        for (var k = 0; k < d; k++)
        {
            var a = new double[d * d];
            for (var i = 0; i < d; i++)
            {
                for (var j = 0; j < d; j++)
                {
                    var c = correlations[live[i], live[j]];
                    a[(i * d) + j] = (double.IsNaN(c) ? 0 : c) + (i == j ? VifRidge : 0);
                }
            }

            var e = new double[d];
            e[k] = 1;
            DenseMath.CholeskySolve(a, e, d);
            result[live[k]] = e[k];
        }

        return result;
    }

    /// <summary>Connected components of |r| ≥ <see cref="DuplicateCorrelation"/>, each led by its member most correlated with correctness.</summary>
    private static List<FeatureGroup> Group(List<string> names, double[,] correlations, double[] withCorrect, out int[] groupOf)
    {
        var p = names.Count;
        var component = Enumerable.Repeat(-1, p).ToArray();
        var components = new List<List<int>>();
        for (var start = 0; start < p; start++)
        {
            if (component[start] >= 0)
            {
                continue;
            }

            var members = new List<int> { start };
            component[start] = components.Count;
            for (var i = 0; i < members.Count; i++)
            {
                for (var other = 0; other < p; other++)
                {
                    if (component[other] < 0 && Math.Abs(correlations[members[i], other]) >= DuplicateCorrelation)
                    {
                        component[other] = components.Count;
                        members.Add(other);
                    }
                }
            }

            members.Sort();
            components.Add(members);
        }

        static double Strength(double r) => double.IsNaN(r) ? -1 : Math.Abs(r);
        var ordered = components.OrderByDescending(c => c.Max(j => Strength(withCorrect[j]))).ToList();
        groupOf = new int[p];
        var groups = new List<FeatureGroup>();
        foreach (var members in ordered)
        {
            var lead = members.OrderByDescending(j => Strength(withCorrect[j])).First();
            var list = new List<int> { lead };
            list.AddRange(members.Where(j => j != lead));
            foreach (var j in list)
            {
                groupOf[j] = groups.Count;
            }

            groups.Add(new FeatureGroup(names[lead], [.. list.Select(j => names[j])], [.. list.Select(j => j == lead || !(correlations[lead, j] < 0) ? 1 : -1)]));
        }

        return groups;
    }
}
