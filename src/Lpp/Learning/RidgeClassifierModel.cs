using System.Collections.Immutable;

namespace Lpp;

/// <summary>
/// A fitted ridge classifier: decision f(x) = x·coef + intercept. Larger f means class 1 (the LLM was right) is more
/// likely; f &gt; 0 predicts class 1. f is a score, not a probability: calibrate it (<see cref="Calibration"/>).
/// Immutable and thread-safe.
/// </summary>
public sealed class RidgeClassifierModel
{
    private readonly double[] _coefficients;

    /// <summary>Creates a model from its state (as fitted by <see cref="RidgeClassifierTrainer"/> or read back from a file).</summary>
    /// <exception cref="ArgumentException">A coefficient or the intercept is not finite.</exception>
    public RidgeClassifierModel(ImmutableArray<double> coefficients, double intercept)
    {
        if (coefficients.IsDefault)
        {
            throw new ArgumentException("coefficients must not be default", nameof(coefficients));
        }

        for (var j = 0; j < coefficients.Length; j++)
        {
            if (!double.IsFinite(coefficients[j]))
            {
                throw new ArgumentException($"coefficient {j} is {coefficients[j]}, not finite", nameof(coefficients));
            }
        }

        if (!double.IsFinite(intercept))
        {
            throw new ArgumentException($"intercept is {intercept}, not finite", nameof(intercept));
        }

        Coefficients = coefficients;
        Intercept = intercept;
        _coefficients = [.. coefficients];
    }

    /// <summary>One coefficient per feature column.</summary>
    public ImmutableArray<double> Coefficients { get; }

    /// <summary>The unpenalised intercept.</summary>
    public double Intercept { get; }

    /// <summary>f(x) = x·coef + intercept for one row of features.</summary>
    /// <exception cref="ArgumentException">The row length differs from the coefficient count.</exception>
    public double Decision(ReadOnlySpan<double> features)
    {
        Guard.SameLength(_coefficients.Length, features.Length, nameof(features), "the model's");
        return DenseMath.Dot(features, _coefficients) + Intercept;
    }

    /// <summary>f for every row of <paramref name="x"/>.</summary>
    /// <exception cref="ArgumentException">The column count differs from the coefficient count.</exception>
    public double[] Decisions(FeatureMatrix x)
    {
        ArgumentNullException.ThrowIfNull(x);
        Guard.SameLength(_coefficients.Length, x.Columns, nameof(x), "the model's", "columns");
        var result = new double[x.Rows];
        for (var r = 0; r < result.Length; r++)
        {
            result[r] = DenseMath.Dot(x.Row(r), _coefficients) + Intercept;
        }

        return result;
    }

    /// <summary>The predicted class: 1 when f(x) &gt; 0, else 0 (scikit-learn's rule).</summary>
    public int Predict(ReadOnlySpan<double> features) => Decision(features) > 0 ? 1 : 0;

    /// <summary>f for the given rows of <paramref name="x"/> (no checks: callers pass validated rows).</summary>
    internal void Decisions(FeatureMatrix x, ReadOnlySpan<int> rows, Span<double> destination)
    {
        for (var i = 0; i < rows.Length; i++)
        {
            destination[i] = DenseMath.Dot(x.Row(rows[i]), _coefficients) + Intercept;
        }
    }
}
