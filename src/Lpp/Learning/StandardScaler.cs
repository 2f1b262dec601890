namespace Lpp;

/// <summary>
/// Fits a <see cref="StandardScalerModel"/>: per-column mean and population standard deviation (ddof = 0), as
/// scikit-learn's <c>StandardScaler</c>. A constant column (variance within rounding of zero, by sklearn's test
/// var ≤ n·ε·var + (n·mean·ε)²) gets scale 1, so it is only centred.
/// </summary>
public static class StandardScaler
{
    /// <summary>Fits mean and scale on <paramref name="x"/>, which must be finite (impute missing values first).</summary>
    /// <exception cref="ArgumentException">No rows, or a non-finite value (named by row and column).</exception>
    public static StandardScalerModel Fit(FeatureMatrix x)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.Rows == 0)
        {
            throw new ArgumentException("cannot fit a scaler on 0 rows", nameof(x));
        }

        x.RequireFinite(nameof(x), "impute missing values before scaling");
        var n = x.Rows;
        var d = x.Columns;
        var sum = new double[d];
        for (var r = 0; r < n; r++)
        {
            var row = x.Row(r);
            for (var c = 0; c < d; c++)
            {
                sum[c] += row[c];
            }
        }

        var mean = new double[d];
        for (var c = 0; c < d; c++)
        {
            mean[c] = sum[c] / n;
        }

        // Corrected two-pass variance, as sklearn's _incremental_mean_and_var: (Σ t² − (Σ t)² / n) / n with t = x − mean.
        var squares = new double[d];
        var corrections = new double[d];
        for (var r = 0; r < n; r++)
        {
            var row = x.Row(r);
            for (var c = 0; c < d; c++)
            {
                var t = row[c] - mean[c];
                squares[c] += t * t;
                corrections[c] += t;
            }
        }

        var scale = new double[d];
        for (var c = 0; c < d; c++)
        {
            var variance = (squares[c] - (corrections[c] * corrections[c] / n)) / n;
            var constantBound = (n * DenseMath.MachineEpsilon * variance) + Math.Pow(n * mean[c] * DenseMath.MachineEpsilon, 2);
            var s = Math.Sqrt(variance);
            scale[c] = variance <= constantBound || s < 10 * DenseMath.MachineEpsilon ? 1.0 : s;
        }

        return new StandardScalerModel([.. mean], [.. scale]);
    }

    /// <summary>
    /// Fits the <paramref name="weights"/>-weighted mean and population standard deviation (as scikit-learn's
    /// <c>StandardScaler.fit(X, sample_weight=w)</c>): mean = Σ w·x / W and variance = Σ w·(x − mean)² / W with
    /// W = Σ w, so integer weights give the statistics of the data with each row repeated weight times.
    /// </summary>
    /// <exception cref="ArgumentException">No rows, a non-finite value, lengths that differ, or a weight that is not positive and finite.</exception>
    public static StandardScalerModel Fit(FeatureMatrix x, ReadOnlySpan<double> weights)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.Rows == 0)
        {
            throw new ArgumentException("cannot fit a scaler on 0 rows", nameof(x));
        }

        x.RequireFinite(nameof(x), "impute missing values before scaling");
        SampleWeights.Check(weights, x.Rows, nameof(weights));
        var d = x.Columns;
        var total = 0.0;
        var sum = new double[d];
        for (var r = 0; r < x.Rows; r++)
        {
            var row = x.Row(r);
            total += weights[r];
            for (var c = 0; c < d; c++)
            {
                sum[c] += weights[r] * row[c];
            }
        }

        var mean = new double[d];
        for (var c = 0; c < d; c++)
        {
            mean[c] = sum[c] / total;
        }

        var squares = new double[d];
        var corrections = new double[d];
        for (var r = 0; r < x.Rows; r++)
        {
            var row = x.Row(r);
            for (var c = 0; c < d; c++)
            {
                var t = row[c] - mean[c];
                squares[c] += weights[r] * t * t;
                corrections[c] += weights[r] * t;
            }
        }

        var scale = new double[d];
        for (var c = 0; c < d; c++)
        {
            var variance = (squares[c] - (corrections[c] * corrections[c] / total)) / total;
            var constantBound = (total * DenseMath.MachineEpsilon * variance) + Math.Pow(total * mean[c] * DenseMath.MachineEpsilon, 2);
            var s = Math.Sqrt(variance);
            scale[c] = variance <= constantBound || s < 10 * DenseMath.MachineEpsilon ? 1.0 : s;
        }

        return new StandardScalerModel([.. mean], [.. scale]);
    }
}
