namespace Lpp;

/// <summary>
/// Fits a <see cref="MedianImputerModel"/>: the median of the present (non-NaN) values of each column, with the
/// midpoint of the two middle values for an even count (numpy's <c>nanmedian</c>). A column with no present value
/// gets <see cref="MedianImputerModel.AllMissingFallback"/> (0) and is listed in
/// <see cref="MedianImputerModel.AllMissingColumns"/>; scikit-learn's <c>SimpleImputer</c> would drop such a column
/// instead, which would shift the feature schema. Infinite values are refused: missing is NaN, nothing else.
/// </summary>
public static class MedianImputer
{
    /// <summary>Fits the column medians of <paramref name="x"/> (NaN = missing).</summary>
    /// <exception cref="ArgumentException">An infinite value (named by row and column).</exception>
    public static MedianImputerModel Fit(FeatureMatrix x)
    {
        ArgumentNullException.ThrowIfNull(x);
        var medians = new double[x.Columns];
        var present = new double[x.Rows];
        for (var c = 0; c < x.Columns; c++)
        {
            var count = 0;
            for (var r = 0; r < x.Rows; r++)
            {
                var v = Finite(x, r, c);
                if (!double.IsNaN(v))
                {
                    present[count++] = v;
                }
            }

            medians[c] = count == 0 ? double.NaN : Median(present.AsSpan(0, count));
        }

        return new MedianImputerModel([.. medians]);
    }

    /// <summary>
    /// Fits the <paramref name="weights"/>-weighted column medians of <paramref name="x"/>: with the present values
    /// sorted and W their total weight, the midpoint of the lower median (the first value whose cumulative weight
    /// reaches W/2) and the upper one (the first whose cumulative weight exceeds W/2). With integer weights this is
    /// the median of the data with each row repeated weight times.
    /// </summary>
    /// <exception cref="ArgumentException">An infinite value, lengths that differ, or a weight that is not positive and finite.</exception>
    public static MedianImputerModel Fit(FeatureMatrix x, ReadOnlySpan<double> weights)
    {
        ArgumentNullException.ThrowIfNull(x);
        SampleWeights.Check(weights, x.Rows, nameof(weights));
        var medians = new double[x.Columns];
        var present = new (double Value, double Weight)[x.Rows];
        for (var c = 0; c < x.Columns; c++)
        {
            var count = 0;
            for (var r = 0; r < x.Rows; r++)
            {
                var v = Finite(x, r, c);
                if (!double.IsNaN(v))
                {
                    present[count++] = (v, weights[r]);
                }
            }

            medians[c] = count == 0 ? double.NaN : WeightedMedian(present.AsSpan(0, count));
        }

        return new MedianImputerModel([.. medians]);
    }

    /// <summary>The value at row <paramref name="r"/>, column <paramref name="c"/>: NaN (missing) or finite, else an error naming the cell.</summary>
    private static double Finite(FeatureMatrix x, int r, int c)
    {
        var v = x[r, c];
        return double.IsInfinity(v)
            ? throw new ArgumentException($"value at row {r}, column {c} is {v}; missing values must be NaN", nameof(x))
            : v;
    }

    private static double WeightedMedian(Span<(double Value, double Weight)> values)
    {
        values.Sort((a, b) => a.Value.CompareTo(b.Value));
        var total = 0.0;
        foreach (var (_, w) in values)
        {
            total += w;
        }

        var half = total / 2;
        double cumulative = 0, lower = double.NaN;
        foreach (var (v, w) in values)
        {
            cumulative += w;
            if (double.IsNaN(lower) && cumulative >= half)
            {
                lower = v;
            }

            if (cumulative > half)
            {
                return (lower + v) / 2;
            }
        }

        return lower;
    }

    private static double Median(Span<double> values)
    {
        values.Sort();
        var mid = values.Length / 2;
        return values.Length % 2 == 1 ? values[mid] : (values[mid - 1] + values[mid]) / 2;
    }
}
