using System.Collections.Immutable;

namespace Lpp;

/// <summary>Drift of one model's traffic from its training profile in a monitoring window.</summary>
/// <param name="ScorePsi">Population stability index of the score.</param>
/// <param name="Features">PSI of every profiled feature, in the profile's order.</param>
/// <param name="ScoreExpected">The training shares of the score's bins (the missing share last).</param>
/// <param name="ScoreObserved">The window's shares of the same bins (the missing share last).</param>
public sealed record DriftSummary(double ScorePsi, ImmutableArray<(string Feature, double Psi)> Features, ImmutableArray<double> ScoreExpected, ImmutableArray<double> ScoreObserved);
