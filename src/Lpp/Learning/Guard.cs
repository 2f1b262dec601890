namespace Lpp;

/// <summary>Argument checks shared by the learners, with messages that name the offending value.</summary>
internal static class Guard
{
    /// <summary>Throws unless <paramref name="actual"/> equals <paramref name="expected"/>: "x has 3 columns; expected 4 (the model's)".</summary>
    public static void SameLength(int expected, int actual, string paramName, string why, string unit = "values")
    {
        if (expected != actual)
        {
            throw new ArgumentException($"{paramName} has {actual} {unit}; expected {expected} ({why})", paramName);
        }
    }
}
