namespace Lpp;

/// <summary>Options of <see cref="LppFeatureExtractor"/>.</summary>
public sealed record LppFeatureOptions
{
    /// <summary>How many of the most probable alternatives the top-k features (A, E) keep.</summary>
    /// <value>Default 5; at least 1.</value>
    public int TopK { get; init; } = LppFeatureDefaults.TopK;

    /// <summary>Throws with a message naming the option and its allowed range when an option is out of range.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public void Validate()
    {
        if (TopK < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(TopK), TopK, "top-k must be at least 1");
        }
    }
}
