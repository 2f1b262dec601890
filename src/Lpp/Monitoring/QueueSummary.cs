namespace Lpp;

/// <summary>One queue of one model in a monitoring window.</summary>
/// <param name="Decisions">Decisions routed to it in the window (for <c>audit</c>: trusted decisions sampled).</param>
/// <param name="Pending">Of those, still unreviewed.</param>
/// <param name="OldestAgeSeconds">Age of the oldest unreviewed one at the time of the run; NaN when none is pending.</param>
public sealed record QueueSummary(long Decisions, long Pending, double OldestAgeSeconds);
