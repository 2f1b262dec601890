namespace Lpp;

/// <summary>Progress of an experiment: trainings done out of the total planned.</summary>
/// <param name="Dataset">The dataset being worked on.</param>
/// <param name="Done">Trainings done (full models and ablations).</param>
/// <param name="Total">Trainings planned.</param>
public sealed record ExperimentProgress(string Dataset, int Done, int Total);
