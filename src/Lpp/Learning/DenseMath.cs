using System.Runtime.CompilerServices;
using System.Numerics;
using System.Runtime.InteropServices;

namespace Lpp;

/// <summary>The few dense linear-algebra kernels the learners need: dot products and a Cholesky solve.</summary>
internal static class DenseMath
{
    /// <summary>The gap between 1 and the next double (numpy's <c>finfo(float64).eps</c>), not <see cref="double.Epsilon"/>.</summary>
    public const double MachineEpsilon = 2.220446049250313e-16;

    /// <summary>Squared Euclidean distance Σ (a_i − b_i)², in one vectorised pass with the same summation order as <see cref="Dot"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static double SquaredDistance(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        b = b[..a.Length];
        var i = 0;
        var sum = 0.0;
        if (Vector.IsHardwareAccelerated && a.Length >= 2 * Vector<double>.Count)
        {
            var va = MemoryMarshal.Cast<double, Vector<double>>(a);
            var vb = MemoryMarshal.Cast<double, Vector<double>>(b);
            var acc0 = Vector<double>.Zero;
            var acc1 = Vector<double>.Zero;
            var v = 0;
            for (; v + 1 < va.Length; v += 2)
            {
                var d0 = va[v] - vb[v];
                var d1 = va[v + 1] - vb[v + 1];
                acc0 += d0 * d0;
                acc1 += d1 * d1;
            }

            if (v < va.Length)
            {
                var d0 = va[v] - vb[v];
                acc0 += d0 * d0;
            }

            sum = Vector.Sum(acc0 + acc1);
            i = va.Length * Vector<double>.Count;
        }

        for (; i < a.Length; i++)
        {
            var t = a[i] - b[i];
            sum += t * t;
        }

        return sum;
    }

    /// <summary>Σ a[i]·b[i], vectorised; <paramref name="b"/> is at least as long as <paramref name="a"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static double Dot(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        b = b[..a.Length];
        var i = 0;
        var sum = 0.0;
        if (Vector.IsHardwareAccelerated && a.Length >= 2 * Vector<double>.Count)
        {
            var va = MemoryMarshal.Cast<double, Vector<double>>(a);
            var vb = MemoryMarshal.Cast<double, Vector<double>>(b);
            var acc0 = Vector<double>.Zero;
            var acc1 = Vector<double>.Zero;
            var v = 0;
            for (; v + 1 < va.Length; v += 2)
            {
                acc0 += va[v] * vb[v];
                acc1 += va[v + 1] * vb[v + 1];
            }

            if (v < va.Length)
            {
                acc0 += va[v] * vb[v];
            }

            sum = Vector.Sum(acc0 + acc1);
            i = va.Length * Vector<double>.Count;
        }

        for (; i < a.Length; i++)
        {
            sum += a[i] * b[i];
        }

        return sum;
    }

    /// <summary>
    /// Solves A x = b in place for a symmetric positive definite d×d matrix A (row-major, only the lower triangle is
    /// read and it is overwritten by the Cholesky factor L, A = L·Lᵀ); <paramref name="b"/> becomes x.
    /// </summary>
    /// <exception cref="ArgumentException">A is not positive definite (a pivot is not positive).</exception>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void CholeskySolve(Span<double> a, Span<double> b, int d)
    {
        for (var j = 0; j < d; j++)
        {
            var rowJ = a.Slice(j * d, d);
            var pivot = rowJ[j] - Dot(rowJ[..j], rowJ[..j]);
            if (!(pivot > 0) || !double.IsFinite(pivot))
            {
                throw new ArgumentException($"the regularised Gram matrix is not positive definite (pivot {pivot.ToString("R", System.Globalization.CultureInfo.InvariantCulture)} at column {j})", nameof(a));
            }

            var l = Math.Sqrt(pivot);
            rowJ[j] = l;
            for (var i = j + 1; i < d; i++)
            {
                var rowI = a.Slice(i * d, d);
                rowI[j] = (rowI[j] - Dot(rowI[..j], rowJ[..j])) / l;
            }
        }

        // Forward substitution L y = b, then back substitution Lᵀ x = y.
        for (var i = 0; i < d; i++)
        {
            var rowI = a.Slice(i * d, d);
            b[i] = (b[i] - Dot(rowI[..i], b[..i])) / rowI[i];
        }

        for (var i = d - 1; i >= 0; i--)
        {
            var s = b[i];
            for (var k = i + 1; k < d; k++)
            {
                s -= a[(k * d) + i] * b[k];
            }

            b[i] = s / a[(i * d) + i];
        }
    }
}
