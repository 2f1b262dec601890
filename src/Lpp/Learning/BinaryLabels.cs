namespace Lpp;

/// <summary>Validation of binary labels: 1 is the positive class (the LLM was right), 0 the negative class (an error).</summary>
internal static class BinaryLabels
{
    /// <summary>Counts 0s and 1s; throws naming the first label that is neither.</summary>
    public static (int Negatives, int Positives) Count(ReadOnlySpan<int> y, string paramName)
    {
        var positives = 0;
        for (var i = 0; i < y.Length; i++)
        {
            if ((uint)y[i] > 1)
            {
                throw new ArgumentException($"label {y[i]} at index {i} is not 0 or 1", paramName);
            }

            positives += y[i];
        }

        return (y.Length - positives, positives);
    }

    /// <summary>Counts 0s and 1s over <paramref name="rows"/> of <paramref name="y"/>; throws naming a bad label or row.</summary>
    public static (int Negatives, int Positives) Count(ReadOnlySpan<int> y, ReadOnlySpan<int> rows, string paramName)
    {
        var positives = 0;
        foreach (var row in rows)
        {
            if ((uint)row >= (uint)y.Length)
            {
                throw new ArgumentOutOfRangeException(paramName, row, $"row index {row} is outside 0..{y.Length - 1}");
            }

            if ((uint)y[row] > 1)
            {
                throw new ArgumentException($"label {y[row]} at index {row} is not 0 or 1", paramName);
            }

            positives += y[row];
        }

        return (rows.Length - positives, positives);
    }

    /// <summary>Throws unless both classes occur.</summary>
    public static void RequireBoth((int Negatives, int Positives) counts, string paramName)
    {
        if (counts.Negatives == 0 || counts.Positives == 0)
        {
            throw new ArgumentException($"both classes are needed to fit, got {counts.Negatives} of class 0 and {counts.Positives} of class 1", paramName);
        }
    }
}
