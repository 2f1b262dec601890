using System.Globalization;

namespace Lpp.Tests;

/// <summary>Numeric assertions that report the first offending index, expected and actual values.</summary>
public static class Close
{
    /// <summary>|actual − expected| ≤ tolerance · |expected| for every element.</summary>
    public static void Relative(ReadOnlySpan<double> expected, ReadOnlySpan<double> actual, double tolerance)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            Relative(expected[i], actual[i], tolerance, i);
        }
    }

    /// <summary>|actual − expected| ≤ tolerance · |expected|.</summary>
    public static void Relative(double expected, double actual, double tolerance, int index = -1)
    {
        if (!(Math.Abs(actual - expected) <= tolerance * Math.Abs(expected)))
        {
            Assert.Fail(string.Create(CultureInfo.InvariantCulture,
                $"{(index < 0 ? "value" : $"element {index}")}: expected {expected:R}, actual {actual:R}, relative error {Math.Abs(actual - expected) / Math.Abs(expected):E2} > {tolerance:E0}"));
        }
    }

    /// <summary>|actual − expected| ≤ tolerance for every element.</summary>
    public static void Absolute(ReadOnlySpan<double> expected, ReadOnlySpan<double> actual, double tolerance)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            Absolute(expected[i], actual[i], tolerance, i);
        }
    }

    /// <summary>|actual − expected| ≤ tolerance.</summary>
    public static void Absolute(double expected, double actual, double tolerance, int index = -1)
    {
        if (!(Math.Abs(actual - expected) <= tolerance))
        {
            Assert.Fail(string.Create(CultureInfo.InvariantCulture,
                $"{(index < 0 ? "value" : $"element {index}")}: expected {expected:R}, actual {actual:R}, absolute error {Math.Abs(actual - expected):E2} > {tolerance:E0}"));
        }
    }
}
