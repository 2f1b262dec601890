using System.Collections.Immutable;

namespace Lpp;

/// <summary>
/// A fitted median imputation: NaN (missing) in column c becomes the training median of column c, and a column that
/// was all missing in training becomes <see cref="AllMissingFallback"/>. Present values pass through. Immutable.
/// </summary>
public sealed class MedianImputerModel
{
    /// <summary>The value imputed in a column that had no present value in training.</summary>
    public const double AllMissingFallback = 0.0;

    private readonly double[] _fill;

    /// <summary>
    /// Creates a model from the training medians; NaN marks a column that was all missing (it imputes
    /// <see cref="AllMissingFallback"/>).
    /// </summary>
    /// <exception cref="ArgumentException">A median is infinite.</exception>
    public MedianImputerModel(ImmutableArray<double> medians)
    {
        if (medians.IsDefault)
        {
            throw new ArgumentException("medians must not be default", nameof(medians));
        }

        var allMissing = ImmutableArray.CreateBuilder<int>();
        _fill = new double[medians.Length];
        for (var c = 0; c < medians.Length; c++)
        {
            if (double.IsInfinity(medians[c]))
            {
                throw new ArgumentException($"median of column {c} is {medians[c]}", nameof(medians));
            }

            if (double.IsNaN(medians[c]))
            {
                allMissing.Add(c);
            }

            _fill[c] = double.IsNaN(medians[c]) ? AllMissingFallback : medians[c];
        }

        Medians = medians;
        AllMissingColumns = allMissing.ToImmutable();
    }

    /// <summary>Training median of each column; NaN where the column had no present value.</summary>
    public ImmutableArray<double> Medians { get; }

    /// <summary>Columns with no present value in training, which impute <see cref="AllMissingFallback"/>.</summary>
    public ImmutableArray<int> AllMissingColumns { get; }

    /// <summary>Copies <paramref name="row"/> into <paramref name="destination"/> (may be the same memory) with NaN replaced.</summary>
    /// <exception cref="ArgumentException">A length differs from the number of columns, or a value is infinite.</exception>
    public void Transform(ReadOnlySpan<double> row, Span<double> destination)
    {
        Guard.SameLength(_fill.Length, row.Length, nameof(row), "the imputer's");
        Guard.SameLength(_fill.Length, destination.Length, nameof(destination), "the imputer's");
        Fill(row, destination, -1, nameof(row));
    }

    /// <summary>Returns a copy of <paramref name="x"/> with every NaN imputed.</summary>
    /// <exception cref="ArgumentException">The column count differs from the fitted one, or a value is infinite.</exception>
    public FeatureMatrix Transform(FeatureMatrix x)
    {
        ArgumentNullException.ThrowIfNull(x);
        Guard.SameLength(_fill.Length, x.Columns, nameof(x), "the imputer's", "columns");
        var values = x.AsSpan().ToArray();
        var d = x.Columns;
        for (var r = 0; r < x.Rows; r++)
        {
            var row = values.AsSpan(r * d, d);
            Fill(row, row, r, nameof(x));
        }

        return FeatureMatrix.Own(x.Rows, d, values);
    }

    private void Fill(ReadOnlySpan<double> row, Span<double> destination, int rowIndex, string paramName)
    {
        for (var c = 0; c < row.Length; c++)
        {
            var v = row[c];
            if (double.IsInfinity(v))
            {
                var where = rowIndex < 0 ? $"column {c}" : $"row {rowIndex}, column {c}";
                throw new ArgumentException($"value at {where} is {v}; missing values must be NaN", paramName);
            }

            destination[c] = double.IsNaN(v) ? _fill[c] : v;
        }
    }
}
