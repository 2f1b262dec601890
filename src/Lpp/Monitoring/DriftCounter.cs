namespace Lpp;

/// <summary>
/// Streams production items past a <see cref="TrainingProfile"/>: each item's score and features are counted into
/// the profile's bins (memory is one counter per bin, whatever the number of items), and the population stability
/// index of the score and of every profiled feature is read at any time. Not thread-safe.
/// </summary>
public sealed class DriftCounter
{
    private readonly BinCounter _score;
    private readonly BinCounter[] _features;
    private readonly int[] _columns;

    /// <summary>Creates empty counts over <paramref name="profile"/>'s bins.</summary>
    public DriftCounter(TrainingProfile profile)
    {
        Profile = profile ?? throw new ArgumentNullException(nameof(profile));
        _score = new BinCounter(profile.Score);
        _features = [.. profile.Features.Select(f => new BinCounter(f))];
        _columns = [.. profile.Features.Select(f => FeatureSchema.IndexOf(f.Name))];
    }

    /// <summary>The reference.</summary>
    public TrainingProfile Profile { get; }

    /// <summary>Items counted.</summary>
    public long Items => _score.Total;

    /// <summary>Counts one item: its score and all its <see cref="FeatureSchema"/> features (NaN = missing).</summary>
    public void Add(double score, ReadOnlySpan<double> allFeatures)
    {
        _score.Add(score);
        for (var j = 0; j < _columns.Length; j++)
        {
            _features[j].Add(allFeatures[_columns[j]]);
        }
    }

    /// <summary>The PSI of the score against the training profile; NaN before any item.</summary>
    public double ScorePsi => Items == 0 ? double.NaN : Profile.Score.Psi(_score);

    /// <summary>The shares of the score's bins counted so far, the missing share last (zeros before any item).</summary>
    public System.Collections.Immutable.ImmutableArray<double> ScoreShares() =>
        [.. _score.Shares(), Items == 0 ? 0.0 : (double)_score.Missing / Items];

    /// <summary>The PSI of every profiled feature, in the profile's order; NaN before any item.</summary>
    public IEnumerable<(string Feature, double Psi)> FeaturePsi() =>
        _features.Select(c => (c.Profile.Name, Items == 0 ? double.NaN : c.Profile.Psi(c)));
}
