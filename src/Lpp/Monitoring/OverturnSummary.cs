namespace Lpp;

/// <summary>Reviewed escalations of one reason: how often the reviewer gave the LLM's own answer (it was right after all).</summary>
/// <param name="Reviewed">Escalated decisions of the reason that were reviewed.</param>
/// <param name="LlmRight">Of those, the verdict equals the LLM's answer.</param>
public sealed record OverturnSummary(long Reviewed, long LlmRight)
{
    /// <summary>LlmRight / Reviewed; NaN when none was reviewed.</summary>
    public double Rate => Reviewed == 0 ? double.NaN : (double)LlmRight / Reviewed;
}
