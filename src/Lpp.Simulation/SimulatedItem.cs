namespace Lpp.Simulation;

/// <summary>One simulated item: the decision record and the latent facts it was generated from.</summary>
/// <param name="Record">The decision record, in the moderation schema, with <c>source.model</c> naming the simulated model.</param>
/// <param name="Case">Whether the item is clear, an evidence-deficit case or a policy-gap case.</param>
/// <param name="Difficulty">The latent difficulty (standard normal plus concept and language shifts; higher is harder).</param>
public sealed record SimulatedItem(DecisionRecord Record, SimulatedCase Case, double Difficulty);
