using System.Globalization;

namespace Lpp;

/// <summary>
/// An immutable dense matrix of doubles stored row-major: one row per record, one column per feature. NaN marks a
/// missing value; the learners other than <see cref="MedianImputer"/> require finite values.
/// </summary>
public sealed class FeatureMatrix
{
    private readonly double[] _values;

    /// <summary>Creates a matrix from a copy of <paramref name="rowMajor"/> (row 0 first).</summary>
    /// <exception cref="ArgumentOutOfRangeException">A negative dimension.</exception>
    /// <exception cref="ArgumentException">The value count is not rows × columns.</exception>
    public FeatureMatrix(int rows, int columns, ReadOnlySpan<double> rowMajor)
        : this(rows, columns, CheckedCopy(rows, columns, rowMajor))
    {
    }

    private FeatureMatrix(int rows, int columns, double[] values)
    {
        Rows = rows;
        Columns = columns;
        _values = values;
    }

    /// <summary>Number of rows (records).</summary>
    public int Rows { get; }

    /// <summary>Number of columns (features).</summary>
    public int Columns { get; }

    /// <summary>The value at <paramref name="row"/>, <paramref name="column"/>.</summary>
    public double this[int row, int column]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfNegative(row);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(row, Rows);
            ArgumentOutOfRangeException.ThrowIfNegative(column);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(column, Columns);
            return _values[(row * Columns) + column];
        }
    }

    /// <summary>Copies equally long rows into a matrix.</summary>
    /// <exception cref="ArgumentException">Rows of different lengths (the first offending row is named).</exception>
    public static FeatureMatrix FromRows(IReadOnlyList<IReadOnlyList<double>> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var columns = rows.Count == 0 ? 0 : rows[0].Count;
        var values = new double[rows.Count * columns];
        for (var r = 0; r < rows.Count; r++)
        {
            var row = rows[r];
            if (row.Count != columns)
            {
                throw new ArgumentException($"row {r} has {row.Count} values, row 0 has {columns}", nameof(rows));
            }

            for (var c = 0; c < columns; c++)
            {
                values[(r * columns) + c] = row[c];
            }
        }

        return new FeatureMatrix(rows.Count, columns, values);
    }

    /// <summary>The values of <paramref name="row"/>.</summary>
    public ReadOnlySpan<double> Row(int row)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(row);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(row, Rows);
        return _values.AsSpan(row * Columns, Columns);
    }

    /// <summary>All values, row-major.</summary>
    public ReadOnlySpan<double> AsSpan() => _values;

    /// <summary>A new matrix of the given rows, in the order given (repeats allowed).</summary>
    /// <exception cref="ArgumentOutOfRangeException">A row index outside the matrix.</exception>
    public FeatureMatrix SelectRows(ReadOnlySpan<int> rows)
    {
        var values = new double[rows.Length * Columns];
        for (var i = 0; i < rows.Length; i++)
        {
            Row(rows[i]).CopyTo(values.AsSpan(i * Columns, Columns));
        }

        return new FeatureMatrix(rows.Length, Columns, values);
    }

    /// <summary>Wraps <paramref name="values"/> without copying; the caller gives up the array.</summary>
    internal static FeatureMatrix Own(int rows, int columns, double[] values)
    {
        CheckShape(rows, columns, values.Length);
        return new(rows, columns, values);
    }

    /// <summary>Throws naming the first non-finite value, with <paramref name="hint"/> appended.</summary>
    internal void RequireFinite(string paramName, string hint)
    {
        for (var i = 0; i < _values.Length; i++)
        {
            if (!double.IsFinite(_values[i]))
            {
                throw new ArgumentException(
                    string.Create(CultureInfo.InvariantCulture, $"value at row {i / Columns}, column {i % Columns} is {_values[i]}; {hint}"), paramName);
            }
        }
    }

    private static double[] CheckedCopy(int rows, int columns, ReadOnlySpan<double> rowMajor)
    {
        CheckShape(rows, columns, rowMajor.Length);
        return rowMajor.ToArray();
    }

    private static void CheckShape(int rows, int columns, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        ArgumentOutOfRangeException.ThrowIfNegative(columns);
        if ((long)rows * columns != count)
        {
            throw new ArgumentException($"{count} values do not fill {rows} rows × {columns} columns", "rowMajor");
        }
    }
}
