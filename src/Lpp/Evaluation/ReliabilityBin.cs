namespace Lpp;

/// <summary>One bin of a reliability diagram: scores in [Low, High) (the last bin includes 1).</summary>
/// <param name="Low">Lower edge.</param>
/// <param name="High">Upper edge.</param>
/// <param name="Count">Labelled records whose score falls in the bin.</param>
/// <param name="MeanScore">Mean predicted P(right) in the bin (NaN when empty).</param>
/// <param name="Accuracy">Observed share of right answers in the bin (NaN when empty); equal to MeanScore when calibrated.</param>
public sealed record ReliabilityBin(double Low, double High, int Count, double MeanScore, double Accuracy);
