using System.Collections.Immutable;

namespace Lpp;

/// <summary>
/// A fitted logistic regression: P(class 1 | x) = 1 / (1 + exp(−(x·coef + intercept))). Class 1 is "the LLM was
/// right", so higher is more likely right; the output is a probability (no separate calibration). Immutable and
/// thread-safe.
/// </summary>
public sealed class LogisticRegressionModel
{
    private readonly double[] _coefficients;

    /// <summary>Creates a model from its state (as fitted by <see cref="LogisticRegressionTrainer"/> or read back from a file).</summary>
    /// <exception cref="ArgumentException">No coefficients, or a coefficient or the intercept is not finite.</exception>
    public LogisticRegressionModel(ImmutableArray<double> coefficients, double intercept)
    {
        if (coefficients.IsDefaultOrEmpty)
        {
            throw new ArgumentException("a logistic regression needs at least one coefficient", nameof(coefficients));
        }

        for (var j = 0; j < coefficients.Length; j++)
        {
            if (!double.IsFinite(coefficients[j]))
            {
                throw new ArgumentException($"logistic regression coefficient {j} is {coefficients[j]}, not finite", nameof(coefficients));
            }
        }

        if (!double.IsFinite(intercept))
        {
            throw new ArgumentException($"logistic regression intercept is {intercept}, not finite", nameof(intercept));
        }

        Coefficients = coefficients;
        Intercept = intercept;
        _coefficients = [.. coefficients];
    }

    /// <summary>One coefficient per feature column.</summary>
    public ImmutableArray<double> Coefficients { get; }

    /// <summary>The unpenalised intercept.</summary>
    public double Intercept { get; }

    /// <summary>Number of feature columns the model expects.</summary>
    public int Features => _coefficients.Length;

    /// <summary>The log-odds x·coef + intercept of one row.</summary>
    /// <exception cref="ArgumentException">The row length differs from the coefficient count.</exception>
    public double Decision(ReadOnlySpan<double> features)
    {
        Guard.SameLength(_coefficients.Length, features.Length, nameof(features), "the model's");
        return DenseMath.Dot(features, _coefficients) + Intercept;
    }

    /// <summary>P(class 1 | <paramref name="features"/>).</summary>
    /// <exception cref="ArgumentException">The row length differs from the coefficient count.</exception>
    public double Probability(ReadOnlySpan<double> features) => Sigmoid(Decision(features));

    /// <summary>P(class 1) for every row of <paramref name="x"/>.</summary>
    /// <exception cref="ArgumentException">The column count differs from the coefficient count.</exception>
    public double[] Probabilities(FeatureMatrix x)
    {
        ArgumentNullException.ThrowIfNull(x);
        Guard.SameLength(_coefficients.Length, x.Columns, nameof(x), "the model's", "columns");
        var result = new double[x.Rows];
        for (var r = 0; r < result.Length; r++)
        {
            result[r] = Sigmoid(DenseMath.Dot(x.Row(r), _coefficients) + Intercept);
        }

        return result;
    }

    /// <summary>1 / (1 + exp(−z)), computed without overflow for either sign of z.</summary>
    internal static double Sigmoid(double z)
    {
        if (z >= 0)
        {
            return 1 / (1 + Math.Exp(-z));
        }

        var e = Math.Exp(z);
        return e / (1 + e);
    }
}
