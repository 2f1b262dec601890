using System.Collections.Immutable;

namespace Lpp;

/// <summary>
/// Seeded stratified splits of row indices by class label: every part keeps the class proportions of the whole to
/// within one row per class. The same labels and seed always give the same split (System.Random's seeded sequence);
/// the splits do not reproduce scikit-learn's random streams.
/// </summary>
public static class StratifiedSplit
{
    /// <summary>
    /// k folds: each class's rows are shuffled and dealt round-robin over the folds, continuing across classes, so
    /// fold sizes differ by at most one and each fold holds ⌊n_c/k⌋ or ⌈n_c/k⌉ rows of class c. Fold i's test part
    /// is its rows, its training part all the others; the test parts are disjoint and cover every row.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="k"/> is below 2.</exception>
    /// <exception cref="ArgumentException">A class has fewer than <paramref name="k"/> rows (named with its count).</exception>
    public static ImmutableArray<IndexSplit> KFold(ReadOnlySpan<int> y, int k, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 2);
        var classes = ShuffledClasses(y, seed);
        foreach (var (label, rows) in classes)
        {
            if (rows.Count < k)
            {
                throw new ArgumentException($"class {label} has {rows.Count} rows, fewer than the {k} folds", nameof(y));
            }
        }

        var foldOf = new int[y.Length];
        var next = 0;
        foreach (var (_, rows) in classes)
        {
            foreach (var row in rows)
            {
                foldOf[row] = next;
                next = (next + 1) % k;
            }
        }

        var folds = ImmutableArray.CreateBuilder<IndexSplit>(k);
        for (var fold = 0; fold < k; fold++)
        {
            var train = ImmutableArray.CreateBuilder<int>();
            var test = ImmutableArray.CreateBuilder<int>();
            for (var row = 0; row < foldOf.Length; row++)
            {
                (foldOf[row] == fold ? test : train).Add(row);
            }

            folds.Add(new IndexSplit(train.ToImmutable(), test.ToImmutable()));
        }

        return folds.MoveToImmutable();
    }

    /// <summary>
    /// A train/test split with ⌈<paramref name="testFraction"/>·n⌉ test rows (as scikit-learn), allocated to the
    /// classes in proportion to their sizes (largest remainders get the rounding), each class's test rows drawn at
    /// random.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="testFraction"/> is not strictly between 0 and 1.</exception>
    /// <exception cref="ArgumentException">Fewer than 2 rows, or the split would leave a part empty.</exception>
    public static IndexSplit TrainTest(ReadOnlySpan<int> y, double testFraction, int seed)
    {
        if (!(testFraction > 0 && testFraction < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(testFraction), testFraction, "test fraction must be strictly between 0 and 1");
        }

        var n = y.Length;
        var testCount = (int)Math.Ceiling(testFraction * n);
        if (testCount < 1 || testCount >= n)
        {
            throw new ArgumentException($"a test fraction of {testFraction} of {n} rows leaves an empty part", nameof(y));
        }

        var classes = ShuffledClasses(y, seed);
        var take = new int[classes.Count];
        var remainders = new (double Remainder, int Class)[classes.Count];
        var allocated = 0;
        for (var c = 0; c < classes.Count; c++)
        {
            var exact = (double)testCount * classes[c].Rows.Count / n;
            take[c] = (int)Math.Floor(exact);
            allocated += take[c];
            remainders[c] = (exact - take[c], c);
        }

        // Largest remainder first; ties go to the larger class, then the smaller label.
        Array.Sort(remainders, (p, q) => p.Remainder != q.Remainder
            ? q.Remainder.CompareTo(p.Remainder)
            : classes[p.Class].Rows.Count != classes[q.Class].Rows.Count
                ? classes[q.Class].Rows.Count.CompareTo(classes[p.Class].Rows.Count)
                : classes[p.Class].Label.CompareTo(classes[q.Class].Label));
        for (var i = 0; allocated < testCount; i++)
        {
            take[remainders[i].Class]++;
            allocated++;
        }

        var isTest = new bool[n];
        for (var c = 0; c < classes.Count; c++)
        {
            for (var i = 0; i < take[c]; i++)
            {
                isTest[classes[c].Rows[i]] = true;
            }
        }

        var train = ImmutableArray.CreateBuilder<int>(n - testCount);
        var test = ImmutableArray.CreateBuilder<int>(testCount);
        for (var row = 0; row < n; row++)
        {
            (isTest[row] ? test : train).Add(row);
        }

        return new IndexSplit(train.MoveToImmutable(), test.MoveToImmutable());
    }

    /// <summary>The rows of each class (classes in increasing label order), each list shuffled by one seeded generator.</summary>
    private static List<(int Label, List<int> Rows)> ShuffledClasses(ReadOnlySpan<int> y, int seed)
    {
        var byLabel = new SortedDictionary<int, List<int>>();
        for (var row = 0; row < y.Length; row++)
        {
            if (!byLabel.TryGetValue(y[row], out var rows))
            {
                byLabel[y[row]] = rows = [];
            }

            rows.Add(row);
        }

        var random = new Random(seed);
        var result = new List<(int Label, List<int> Rows)>(byLabel.Count);
        foreach (var (label, rows) in byLabel)
        {
            Shuffle(rows, random);
            result.Add((label, rows));
        }

        return result;
    }

    /// <summary>Fisher–Yates shuffle drawing from <paramref name="random"/>, written out so the sequence never depends on the runtime's own shuffle.</summary>
    internal static void Shuffle(List<int> items, Random random)
    {
        for (var i = items.Count - 1; i > 0; i--)
        {
            var j = random.Next(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }
}
