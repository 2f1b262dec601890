using System.Globalization;

namespace Lpp;

/// <summary>
/// Per-class sample weights of a classifier fit, as scikit-learn's <c>class_weight</c>: <see cref="None"/> (both 1),
/// <see cref="Balanced"/> (w_c = n / (2·n_c), computed on the data being fitted) or <see cref="Explicit"/> {w0, w1}.
/// Class 0 is the error class, class 1 the LLM-was-right class.
/// </summary>
public sealed record ClassWeight
{
    private ClassWeight(bool isBalanced, double class0, double class1)
    {
        IsBalanced = isBalanced;
        Class0 = class0;
        Class1 = class1;
    }

    /// <summary>Every sample weighs 1 (scikit-learn <c>class_weight=None</c>).</summary>
    public static ClassWeight None { get; } = new(false, 1, 1);

    /// <summary>w_c = n / (2·n_c) on the fitted data, so both classes weigh n/2 in total (scikit-learn <c>"balanced"</c>).</summary>
    public static ClassWeight Balanced { get; } = new(true, double.NaN, double.NaN);

    /// <summary>True for <see cref="Balanced"/>, whose weights depend on the class counts.</summary>
    public bool IsBalanced { get; }

    /// <summary>Weight of a class-0 sample; NaN when <see cref="IsBalanced"/>.</summary>
    public double Class0 { get; }

    /// <summary>Weight of a class-1 sample; NaN when <see cref="IsBalanced"/>.</summary>
    public double Class1 { get; }

    /// <summary>Fixed weights {0: <paramref name="class0"/>, 1: <paramref name="class1"/>}.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A weight that is not finite and positive.</exception>
    public static ClassWeight Explicit(double class0, double class1)
    {
        if (!(class0 > 0) || !double.IsFinite(class0))
        {
            throw new ArgumentOutOfRangeException(nameof(class0), class0, "a class weight must be finite and greater than 0");
        }

        if (!(class1 > 0) || !double.IsFinite(class1))
        {
            throw new ArgumentOutOfRangeException(nameof(class1), class1, "a class weight must be finite and greater than 0");
        }

        return new ClassWeight(false, class0, class1);
    }

    /// <summary>The sample weights of class 0 and class 1 for data with these class counts.</summary>
    /// <exception cref="ArgumentException">Balanced weights with an empty class.</exception>
    public (double Class0, double Class1) Resolve(int class0Count, int class1Count)
    {
        if (!IsBalanced)
        {
            return (Class0, Class1);
        }

        if (class0Count <= 0 || class1Count <= 0)
        {
            throw new ArgumentException($"balanced class weights need both classes, got {class0Count} of class 0 and {class1Count} of class 1", nameof(class0Count));
        }

        double n = class0Count + class1Count;
        return (n / (2.0 * class0Count), n / (2.0 * class1Count));
    }

    /// <summary><c>balanced</c>, or <c>{0: w0, 1: w1}</c> in the invariant culture.</summary>
    public override string ToString() =>
        IsBalanced ? "balanced" : string.Create(CultureInfo.InvariantCulture, $"{{0: {Class0:R}, 1: {Class1:R}}}");
}
