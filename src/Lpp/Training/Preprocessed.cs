namespace Lpp;

/// <summary>Selected columns of a matrix, median-imputed and standardised with statistics of those rows only.</summary>
internal sealed record Preprocessed(MedianImputerModel Imputer, StandardScalerModel Scaler, FeatureMatrix Z)
{
    /// <summary>Fits imputation and scaling on <paramref name="x"/> and transforms it.</summary>
    public static Preprocessed Fit(FeatureMatrix x)
    {
        var imputer = MedianImputer.Fit(x);
        var imputed = imputer.Transform(x);
        var scaler = StandardScaler.Fit(imputed);
        return new Preprocessed(imputer, scaler, scaler.Transform(imputed));
    }

    /// <summary>Fits weighted imputation and scaling on <paramref name="x"/> (<paramref name="weights"/> empty: unweighted, <see cref="Fit(FeatureMatrix)"/>) and transforms it.</summary>
    public static Preprocessed Fit(FeatureMatrix x, ReadOnlySpan<double> weights)
    {
        if (weights.IsEmpty)
        {
            return Fit(x);
        }

        var imputer = MedianImputer.Fit(x, weights);
        var imputed = imputer.Transform(x);
        var scaler = StandardScaler.Fit(imputed, weights);
        return new Preprocessed(imputer, scaler, scaler.Transform(imputed));
    }

    /// <summary>Transforms other rows with the fitted statistics.</summary>
    public FeatureMatrix Apply(FeatureMatrix x) => Scaler.Transform(Imputer.Transform(x));

    /// <summary>The columns <paramref name="columns"/> of <paramref name="x"/>.</summary>
    public static FeatureMatrix Columns(FeatureMatrix x, IReadOnlyList<int> columns)
    {
        var values = new double[x.Rows * columns.Count];
        for (var r = 0; r < x.Rows; r++)
        {
            var row = x.Row(r);
            for (var c = 0; c < columns.Count; c++)
            {
                values[(r * columns.Count) + c] = row[columns[c]];
            }
        }

        return new FeatureMatrix(x.Rows, columns.Count, values);
    }
}
