namespace Lpp.Inference;

/// <summary>Decoding settings sent with every request. Defaults are those of the paper's protocol.</summary>
public sealed record DecodingOptions
{
    /// <summary>Sampling temperature.</summary>
    /// <value>0 (greedy).</value>
    public double Temperature { get; init; } = DecodingDefaults.Temperature;

    /// <summary>Nucleus sampling mass.</summary>
    /// <value>1.</value>
    public double TopP { get; init; } = DecodingDefaults.TopP;

    /// <summary>Maximum output tokens.</summary>
    /// <value>8096.</value>
    public int MaxOutputTokens { get; init; } = DecodingDefaults.MaxOutputTokens;

    /// <summary>Whether token log-probabilities are requested.</summary>
    /// <value>true.</value>
    public bool Logprobs { get; init; } = true;

    /// <summary>Alternatives requested at each generated position, 1-20.</summary>
    /// <value>20.</value>
    public int TopLogprobs { get; init; } = DecodingDefaults.TopLogprobs;

    /// <summary>Checks every setting, naming the first one out of range.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range.</exception>
    public void Validate()
    {
        if (Temperature is < 0 or > 2 || double.IsNaN(Temperature))
        {
            throw new ArgumentOutOfRangeException(nameof(Temperature), Temperature, "temperature must be in [0, 2]");
        }

        if (TopP is <= 0 or > 1 || double.IsNaN(TopP))
        {
            throw new ArgumentOutOfRangeException(nameof(TopP), TopP, "top-p must be in (0, 1]");
        }

        if (MaxOutputTokens is < 16 or > 1_000_000)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxOutputTokens), MaxOutputTokens, "max output tokens must be in [16, 1000000]");
        }

        if (TopLogprobs is < 1 or > 20)
        {
            throw new ArgumentOutOfRangeException(nameof(TopLogprobs), TopLogprobs, "top logprobs must be in [1, 20]");
        }
    }
}
