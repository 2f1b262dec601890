namespace Lpp.Simulation;

/// <summary>How simulated items are written, one JSON object per line.</summary>
public enum SimulationFormat
{
    /// <summary>Decision records (the README's JSON Lines format).</summary>
    Records,

    /// <summary>OpenAI chat-completion response bodies with <c>logprobs</c>, plus an <c>lpp_simulation</c> object.</summary>
    OpenAi,

    /// <summary>Gemini <c>generateContent</c> response bodies with <c>logprobsResult</c>, plus an <c>lpp_simulation</c> object.</summary>
    Gemini,
}
