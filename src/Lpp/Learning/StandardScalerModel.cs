using System.Collections.Immutable;

namespace Lpp;

/// <summary>A fitted standardisation: z = (x − mean) / scale per column. Immutable and thread-safe.</summary>
public sealed class StandardScalerModel
{
    private readonly double[] _mean;
    private readonly double[] _scale;

    /// <summary>Creates a model from its state (as fitted by <see cref="StandardScaler.Fit(FeatureMatrix)"/> or read back from a file).</summary>
    /// <exception cref="ArgumentException">Lengths differ, a mean is not finite, or a scale is not finite and positive.</exception>
    public StandardScalerModel(ImmutableArray<double> mean, ImmutableArray<double> scale)
    {
        if (mean.IsDefault || scale.IsDefault || mean.Length != scale.Length)
        {
            throw new ArgumentException($"mean ({(mean.IsDefault ? 0 : mean.Length)}) and scale ({(scale.IsDefault ? 0 : scale.Length)}) must have the same length", nameof(scale));
        }

        for (var c = 0; c < mean.Length; c++)
        {
            if (!double.IsFinite(mean[c]))
            {
                throw new ArgumentException($"mean of column {c} is {mean[c]}, not finite", nameof(mean));
            }

            if (!(scale[c] > 0) || !double.IsFinite(scale[c]))
            {
                throw new ArgumentException($"scale of column {c} is {scale[c]}, not finite and positive", nameof(scale));
            }
        }

        Mean = mean;
        Scale = scale;
        _mean = [.. mean];
        _scale = [.. scale];
    }

    /// <summary>Column means of the training data.</summary>
    public ImmutableArray<double> Mean { get; }

    /// <summary>Column population standard deviations of the training data (1 for a constant column).</summary>
    public ImmutableArray<double> Scale { get; }

    /// <summary>Writes (x − mean) / scale of one row into <paramref name="destination"/> (may be the same memory as the source).</summary>
    /// <exception cref="ArgumentException">A length differs from the number of columns.</exception>
    public void Transform(ReadOnlySpan<double> row, Span<double> destination)
    {
        Guard.SameLength(_mean.Length, row.Length, nameof(row), "the scaler's");
        Guard.SameLength(_mean.Length, destination.Length, nameof(destination), "the scaler's");
        for (var c = 0; c < row.Length; c++)
        {
            destination[c] = (row[c] - _mean[c]) / _scale[c];
        }
    }

    /// <summary>Returns the standardised copy of <paramref name="x"/>.</summary>
    /// <exception cref="ArgumentException">The column count differs from the fitted one.</exception>
    public FeatureMatrix Transform(FeatureMatrix x)
    {
        ArgumentNullException.ThrowIfNull(x);
        Guard.SameLength(_mean.Length, x.Columns, nameof(x), "the scaler's", "columns");
        var values = x.AsSpan().ToArray();
        var d = x.Columns;
        for (var r = 0; r < x.Rows; r++)
        {
            var row = values.AsSpan(r * d, d);
            Transform(row, row);
        }

        return FeatureMatrix.Own(x.Rows, d, values);
    }
}
