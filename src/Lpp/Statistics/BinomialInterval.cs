using System.Globalization;

namespace Lpp;

/// <summary>
/// Exact (Clopper-Pearson) confidence bounds for a binomial proportion, and the regularised incomplete beta function
/// and its inverse they rest on. With k events in n trials and p the true rate: the one-sided upper bound at
/// confidence c is the c-quantile of Beta(k + 1, n − k) (1 when k = n), the lower bound the (1 − c)-quantile of
/// Beta(k, n − k + 1) (0 when k = 0); P(p ≤ upper) ≥ c for every p, whatever n (conservative, never below c).
/// The two-sided interval at level L takes each side at confidence (1 + L)/2. Pure functions; thread-safe.
/// </summary>
public static class BinomialInterval
{
    private const double Epsilon = 1e-15;
    private const double Tiny = 1e-300;

    /// <summary>One-sided upper bound on the rate at confidence <paramref name="confidence"/>: P(rate ≤ bound) ≥ confidence.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Counts negative or events above trials; confidence not in (0, 1).</exception>
    public static double Upper(int events, int trials, double confidence)
    {
        Check(events, trials, confidence);
        return events == trials ? 1 : InverseRegularizedBeta(confidence, events + 1, trials - events);
    }

    /// <summary>One-sided lower bound on the rate at confidence <paramref name="confidence"/>: P(rate ≥ bound) ≥ confidence.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Counts negative or events above trials; confidence not in (0, 1).</exception>
    public static double Lower(int events, int trials, double confidence)
    {
        Check(events, trials, confidence);
        return events == 0 ? 0 : InverseRegularizedBeta(1 - confidence, events, trials - events + 1);
    }

    /// <summary>The two-sided Clopper-Pearson interval at <paramref name="level"/> (e.g. 0.95); [0, 1] when there are no trials.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Counts negative or events above trials; level not in (0, 1).</exception>
    public static Interval ClopperPearson(int events, int trials, double level = 0.95)
    {
        Check(events, trials, level);
        var side = (1 + level) / 2;
        return new Interval(Lower(events, trials, side), Upper(events, trials, side));
    }

    /// <summary>
    /// The regularised incomplete beta function I_x(a, b) = B(x; a, b) / B(a, b), the CDF of Beta(a, b) at x
    /// (scipy.special.betainc): Lentz's continued fraction on the side where it converges fast, the symmetry
    /// I_x(a, b) = 1 − I_{1−x}(b, a) on the other.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">a or b not positive and finite, or x outside [0, 1].</exception>
    public static double RegularizedBeta(double x, double a, double b)
    {
        CheckShape(a, b);
        if (!(x >= 0 && x <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(x), x, "x must be in [0, 1]");
        }

        if (x == 0 || x == 1)
        {
            return x;
        }

        return x < (a + 1) / (a + b + 2)
            ? Front(x, a, b) * ContinuedFraction(x, a, b) / a
            : 1 - (Front(x, a, b) * ContinuedFraction(1 - x, b, a) / b);
    }

    /// <summary>
    /// The x with I_x(a, b) = p: the p-quantile of Beta(a, b) (scipy.stats.beta.ppf). Newton steps kept inside a
    /// shrinking bracket (bisection when a step would leave it), to a relative accuracy near 1e-15.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">a or b not positive and finite, or p outside [0, 1].</exception>
    public static double InverseRegularizedBeta(double p, double a, double b)
    {
        CheckShape(a, b);
        if (!(p >= 0 && p <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(p), p, "p must be in [0, 1]");
        }

        if (p == 0 || p == 1)
        {
            return p;
        }

        var logBeta = LogBeta(a, b);
        double low = 0, high = 1;
        var x = Math.Clamp(a / (a + b), 1e-6, 1 - 1e-6);
        for (var iteration = 0; iteration < 1000; iteration++)
        {
            var f = RegularizedBeta(x, a, b) - p;
            if (f == 0)
            {
                return x;
            }

            if (f < 0)
            {
                low = x;
            }
            else
            {
                high = x;
            }

            var density = Math.Exp(((a - 1) * Math.Log(x)) + ((b - 1) * Math.Log(1 - x)) - logBeta);
            var next = x - (f / density);
            if (!(next > low && next < high))
            {
                // Bisect, geometrically near 0 so that tiny quantiles are reached in a few dozen halvings.
                next = low == 0 && high < 1e-3 ? high / 16 : (low + high) / 2;
            }

            if (Math.Abs(next - x) <= Epsilon * Math.Max(x, Tiny) || high - low <= Epsilon * Math.Max(low, Tiny))
            {
                return next;
            }

            x = next;
        }

        return x;
    }

    /// <summary>ln B(a, b) = ln Γ(a) + ln Γ(b) − ln Γ(a + b).</summary>
    internal static double LogBeta(double a, double b) => LogGamma(a) + LogGamma(b) - LogGamma(a + b);

    /// <summary>ln Γ(x) for x &gt; 0: Stirling's series with five correction terms from x ≥ 15, shifted up by the recurrence Γ(x + 1) = xΓ(x) below.</summary>
    internal static double LogGamma(double x)
    {
        var shift = 0.0;
        while (x < 15)
        {
            shift -= Math.Log(x);
            x += 1;
        }

        var inverse = 1 / x;
        var inverse2 = inverse * inverse;
        var series = inverse * ((1.0 / 12) - (inverse2 * ((1.0 / 360) - (inverse2 * ((1.0 / 1260) - (inverse2 * ((1.0 / 1680) - (inverse2 / 1188))))))));
        return shift + ((x - 0.5) * Math.Log(x)) - x + (0.5 * Math.Log(2 * Math.PI)) + series;
    }

    private static double Front(double x, double a, double b) =>
        Math.Exp((a * Math.Log(x)) + (b * Math.Log(1 - x)) - LogBeta(a, b));

    /// <summary>The continued fraction of I_x(a, b) (Numerical Recipes' betacf), evaluated by the modified Lentz method.</summary>
    private static double ContinuedFraction(double x, double a, double b)
    {
        var qab = a + b;
        var qap = a + 1;
        var qam = a - 1;
        var c = 1.0;
        var d = 1 - (qab * x / qap);
        d = Math.Abs(d) < Tiny ? Tiny : d;
        d = 1 / d;
        var h = d;
        for (var m = 1; m <= 10000; m++)
        {
            var m2 = 2 * m;
            var aa = m * (b - m) * x / ((qam + m2) * (a + m2));
            d = 1 + (aa * d);
            d = Math.Abs(d) < Tiny ? Tiny : d;
            c = 1 + (aa / c);
            c = Math.Abs(c) < Tiny ? Tiny : c;
            d = 1 / d;
            h *= d * c;
            aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
            d = 1 + (aa * d);
            d = Math.Abs(d) < Tiny ? Tiny : d;
            c = 1 + (aa / c);
            c = Math.Abs(c) < Tiny ? Tiny : c;
            d = 1 / d;
            var delta = d * c;
            h *= delta;
            if (Math.Abs(delta - 1) <= Epsilon)
            {
                break;
            }
        }

        return h;
    }

    private static void CheckShape(double a, double b)
    {
        if (!(a > 0) || !double.IsFinite(a))
        {
            throw new ArgumentOutOfRangeException(nameof(a), a, "the beta shape a must be a positive number");
        }

        if (!(b > 0) || !double.IsFinite(b))
        {
            throw new ArgumentOutOfRangeException(nameof(b), b, "the beta shape b must be a positive number");
        }
    }

    private static void Check(int events, int trials, double confidence)
    {
        if (trials < 0 || events < 0 || events > trials)
        {
            throw new ArgumentOutOfRangeException(nameof(events), events, string.Create(CultureInfo.InvariantCulture, $"events must be between 0 and the {trials} trials"));
        }

        if (!(confidence > 0 && confidence < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(confidence), confidence, "confidence must be strictly between 0 and 1");
        }
    }
}
