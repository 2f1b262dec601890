namespace Lpp.Inference;

/// <summary>The decoding defaults, defined once (temperature 0, top-p 1, n 1, 8096 output tokens, top-20 logprobs).</summary>
internal static class DecodingDefaults
{
    public const double Temperature = 0;
    public const double TopP = 1;
    public const int MaxOutputTokens = 8096;
    public const int TopLogprobs = 20;
}
