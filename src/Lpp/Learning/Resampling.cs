using System.Collections.Immutable;

namespace Lpp;

/// <summary>
/// Undersampling of a binary training set (never of a test set): Tomek-link cleaning and seeded random
/// undersampling of the majority class. Both return the kept row indices in increasing (original) order, and both
/// accept a "protected" mask of rows that are never dropped (abstentions, invalid outputs).
/// </summary>
public static class Resampling
{
    /// <summary>
    /// Tomek-link cleaning as imbalanced-learn 0.10.0's <c>TomekLinks(sampling_strategy="auto")</c>: rows i and j form a
    /// link when they have different classes and each is the other's nearest neighbour (Euclidean distance on the rows
    /// of <paramref name="x"/> as given, so scale them first); the majority-class member of every link is dropped
    /// unless protected. The majority class is the more frequent one; with equal counts it is class 1 (imblearn's
    /// "not minority" takes class 0 as the minority). A row's nearest neighbour is the other row at the smallest
    /// distance, the lowest index among exact ties. This differs from imblearn for exact duplicate rows: it takes the
    /// second of the two nearest neighbours its tree search returns, which for a row with a duplicate can be the row
    /// itself, so two identical rows of different classes may or may not form a link there (on the scikit-learn
    /// oracle's data they did not; tests/Lpp.Tests/Training/Oracles); here they always do (distance 0).
    /// </summary>
    /// <exception cref="ArgumentException">Lengths differ, a label is not 0/1, or a value is not finite.</exception>
    public static ImmutableArray<int> TomekLinks(FeatureMatrix x, ReadOnlySpan<int> y, ReadOnlySpan<bool> isProtected = default)
    {
        ArgumentNullException.ThrowIfNull(x);
        Guard.SameLength(x.Rows, y.Length, nameof(y), "one per row of x");
        CheckProtected(y.Length, isProtected);
        var (negatives, positives) = BinaryLabels.Count(y, nameof(y));
        x.RequireFinite(nameof(x), "impute missing values first");
        var n = x.Rows;
        var majority = positives >= negatives ? 1 : 0;
        var nearest = NearestNeighbours(x);
        var kept = ImmutableArray.CreateBuilder<int>(n);
        for (var i = 0; i < n; i++)
        {
            var j = nearest[i];
            var linked = j >= 0 && y[i] == majority && y[j] != y[i] && nearest[j] == i;
            if (!linked || (!isProtected.IsEmpty && isProtected[i]))
            {
                kept.Add(i);
            }
        }

        return kept.ToImmutable();
    }

    /// <summary>
    /// Random undersampling as imbalanced-learn's <c>RandomUnderSampler(sampling_strategy=ratio)</c>: when the
    /// minority/majority ratio is below <paramref name="ratio"/>, keeps ⌊n_minority / ratio⌋ majority rows and every
    /// minority row. Protected majority rows are always kept and count towards that target, the rest is drawn without
    /// replacement by a generator seeded with <paramref name="seed"/>; if the protected majority rows alone exceed the
    /// target they are all kept (the ratio then stays below the one asked for). Equal class counts drop nothing.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="ratio"/> is not in (0, 1].</exception>
    /// <exception cref="ArgumentException">A label is not 0/1 or the mask length differs.</exception>
    public static ImmutableArray<int> RandomUndersample(ReadOnlySpan<int> y, double ratio, int seed, ReadOnlySpan<bool> isProtected = default)
    {
        if (!(ratio > 0 && ratio <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(ratio), ratio, "minority/majority ratio must be greater than 0 and at most 1");
        }

        CheckProtected(y.Length, isProtected);
        var (negatives, positives) = BinaryLabels.Count(y, nameof(y));
        var majority = positives > negatives ? 1 : 0;
        var minorityCount = Math.Min(negatives, positives);
        var majorityCount = Math.Max(negatives, positives);
        var target = (int)(minorityCount / ratio);
        var keep = new bool[y.Length];
        var candidates = new List<int>();
        var protectedCount = 0;
        for (var i = 0; i < y.Length; i++)
        {
            if (y[i] != majority || majorityCount == minorityCount || majorityCount <= target)
            {
                keep[i] = true;
            }
            else if (!isProtected.IsEmpty && isProtected[i])
            {
                keep[i] = true;
                protectedCount++;
            }
            else
            {
                candidates.Add(i);
            }
        }

        var draw = Math.Clamp(target - protectedCount, 0, candidates.Count);
        StratifiedSplit.Shuffle(candidates, new Random(seed));
        for (var i = 0; i < draw; i++)
        {
            keep[candidates[i]] = true;
        }

        var kept = ImmutableArray.CreateBuilder<int>();
        for (var i = 0; i < keep.Length; i++)
        {
            if (keep[i])
            {
                kept.Add(i);
            }
        }

        return kept.ToImmutable();
    }

    /// <summary>
    /// Index of each row's nearest other row (−1 for a single row); exact squared distances, lowest index on ties.
    /// Each pair is measured once. The outer rows are dealt to the processors round-robin; each keeps its own best
    /// candidate per row and the results are merged by (distance, index), so the answer does not depend on how many
    /// processors ran.
    /// </summary>
    private static int[] NearestNeighbours(FeatureMatrix x)
    {
        var n = x.Rows;
        var parts = Math.Clamp(Environment.ProcessorCount, 1, Math.Max(1, n / 256));
        var nearest = new int[parts][];
        var best = new double[parts][];
        Parallel.For(0, parts, part =>
        {
            var partNearest = nearest[part] = new int[n];
            var partBest = best[part] = new double[n];
            partNearest.AsSpan().Fill(-1);
            partBest.AsSpan().Fill(double.PositiveInfinity);
            for (var i = part; i < n; i += parts)
            {
                var rowI = x.Row(i);
                for (var j = i + 1; j < n; j++)
                {
                    var distance = DenseMath.SquaredDistance(rowI, x.Row(j));

                    // Within a part every row meets its candidates in increasing index order, so a strict comparison
                    // keeps the lowest index among exact ties.
                    if (distance < partBest[i])
                    {
                        partBest[i] = distance;
                        partNearest[i] = j;
                    }

                    if (distance < partBest[j])
                    {
                        partBest[j] = distance;
                        partNearest[j] = i;
                    }
                }
            }
        });

        var merged = nearest[0];
        var mergedBest = best[0];
        for (var part = 1; part < parts; part++)
        {
            for (var r = 0; r < n; r++)
            {
                var candidate = nearest[part][r];
                if (candidate >= 0 && (best[part][r] < mergedBest[r] || (best[part][r] == mergedBest[r] && (merged[r] < 0 || candidate < merged[r]))))
                {
                    mergedBest[r] = best[part][r];
                    merged[r] = candidate;
                }
            }
        }

        return merged;
    }

    private static void CheckProtected(int rows, ReadOnlySpan<bool> isProtected)
    {
        if (!isProtected.IsEmpty)
        {
            Guard.SameLength(rows, isProtected.Length, nameof(isProtected), "one per label");
        }
    }
}
