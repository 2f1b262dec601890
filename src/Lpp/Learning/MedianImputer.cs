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
                var v = x[r, c];
                if (double.IsInfinity(v))
                {
                    throw new ArgumentException($"value at row {r}, column {c} is {v}; missing values must be NaN", nameof(x));
                }

                if (!double.IsNaN(v))
                {
                    present[count++] = v;
                }
            }

            medians[c] = count == 0 ? double.NaN : Median(present.AsSpan(0, count));
        }

        return new MedianImputerModel([.. medians]);
    }

    private static double Median(Span<double> values)
    {
        values.Sort();
        var mid = values.Length / 2;
        return values.Length % 2 == 1 ? values[mid] : (values[mid - 1] + values[mid]) / 2;
    }
}
