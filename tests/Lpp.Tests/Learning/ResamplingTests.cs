namespace Lpp.Tests;

public sealed class ResamplingTests
{
    [Fact]
    public void TomekLinks_SklearnScaledX_MatchesImblearnKeptIndex()
    {
        // imbalanced-learn 0.10.0 TomekLinks(sampling_strategy="auto") on StandardScaler(X), ../shared/parity/sklearn-meta-model.json, exact
        // Given the scaled reference data
        var parity = SklearnParity.Load();

        // When Tomek links are removed
        var kept = Resampling.TomekLinks(parity.ScaledX, parity.Y);

        // Then exactly imblearn's rows are kept, in order
        Assert.Equal(parity.TomekKept, kept);
    }

    [Fact]
    public void TomekLinks_MutualNeighboursOfDifferentClasses_DropsMajorityMember()
    {
        // Given points on a line; rows 1 (class 1, the majority) and 2 (class 0) are each other's nearest neighbour,
        // row 6 (class 0) has row 5 as nearest neighbour but not the other way round
        var x = new FeatureMatrix(7, 1, [0, 1, 1.2, 5, 6, 10, 30]);
        int[] y = [1, 1, 0, 1, 1, 1, 0];

        // When Tomek links are removed
        var kept = Resampling.TomekLinks(x, y);

        // Then only the majority member of the one link goes
        Assert.Equal([0, 2, 3, 4, 5, 6], kept);
    }

    [Fact]
    public void TomekLinks_MajorityRowWhoseNearestIsNotMutual_IsKept()
    {
        // Given class 1 as the majority; row 3 (class 1, at 10) has row 4 (class 0, at 12) as nearest neighbour, but
        // row 4's nearest is row 5 (class 0, at 12.5): no link, though the non-mutual row is in the majority class
        var x = new FeatureMatrix(6, 1, [0, 1, 2, 10, 12, 12.5]);
        int[] y = [1, 1, 1, 1, 0, 0];

        // When Tomek links are removed
        var kept = Resampling.TomekLinks(x, y);

        // Then nothing is dropped (hand calculation of the nearest neighbours)
        Assert.Equal([0, 1, 2, 3, 4, 5], kept);
    }

    [Fact]
    public void TomekLinks_EqualClassCounts_DropsTheClass1Member()
    {
        // Given three rows of each class; rows 1 (class 1, at 1) and 2 (class 0, at 1.2) are mutual nearest neighbours
        var x = new FeatureMatrix(6, 1, [0, 1, 1.2, 5, 6, 20]);
        int[] y = [1, 1, 0, 0, 0, 1];

        // When Tomek links are removed
        var kept = Resampling.TomekLinks(x, y);

        // Then with equal counts class 1 is the majority (imblearn takes class 0 as the minority): row 1 goes, row 2 stays
        Assert.Equal([0, 2, 3, 4, 5], kept);
    }

    [Fact]
    public void TomekLinks_MinorityMajority_ClassZeroMajorityDropsItsMember()
    {
        // Given class 0 as the majority and one link between rows 1 (class 0) and 2 (class 1)
        var x = new FeatureMatrix(5, 1, [0, 1, 1.2, 5, 6]);
        int[] y = [0, 0, 1, 0, 0];

        // When Tomek links are removed, then the class-0 member goes
        Assert.Equal([0, 2, 3, 4], Resampling.TomekLinks(x, y));
    }

    [Fact]
    public void TomekLinks_ExactTieForNearest_TakesTheLowestIndex()
    {
        // Given row 1 (class 1, at 1) exactly 1 away from row 0 (class 0, at 0) and row 2 (class 0, at 2); row 0's
        // nearest is row 1 and row 2's nearest is row 3 (at 2.5): the tie for row 1 goes to row 0, a mutual link
        var x = new FeatureMatrix(5, 1, [0, 1, 2, 2.5, 9]);
        int[] y = [0, 1, 0, 1, 1];

        // When Tomek links are removed, then row 1 (majority member of the 0-1 link) goes; rows 2-3 link too and row 3 goes
        Assert.Equal([0, 2, 4], Resampling.TomekLinks(x, y));
    }

    [Fact]
    public void TomekLinks_600RowsWithManyExactTies_MatchesABruteForceOfTheDefinition()
    {
        // Given 600 rows on a 12 x 12 integer grid (so many exact distance ties), about 70% of class 1, seeded. With at
        // least 512 rows the neighbour search is dealt to min(processors, n / 256) parts and merged, which a small
        // case never exercises (on a one-processor machine this runs as one part and checks the same answer)
        var random = new Random(20261130);
        const int n = 600;
        var values = new double[n * 2];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = random.Next(12);
        }

        int[] y = [.. Enumerable.Range(0, n).Select(_ => random.NextDouble() < 0.7 ? 1 : 0)];
        var x = new FeatureMatrix(n, 2, values);

        // When Tomek links are removed
        var kept = Resampling.TomekLinks(x, y);

        // Then the kept rows are exactly those of the definition, computed here pair by pair: each row's nearest other
        // row (lowest index among exact ties); a link joins mutual nearest rows of different classes; the majority
        // (class 1 here) member of each link goes
        var nearest = new int[n];
        for (var i = 0; i < n; i++)
        {
            var best = double.PositiveInfinity;
            for (var j = 0; j < n; j++)
            {
                var dx = values[2 * i] - values[2 * j];
                var dy = values[(2 * i) + 1] - values[(2 * j) + 1];
                if (j != i && (dx * dx) + (dy * dy) < best)
                {
                    best = (dx * dx) + (dy * dy);
                    nearest[i] = j;
                }
            }
        }

        var majority = y.Count(v => v == 1) >= y.Count(v => v == 0) ? 1 : 0;
        int[] expected = [.. Enumerable.Range(0, n).Where(i => !(y[i] == majority && y[nearest[i]] != y[i] && nearest[nearest[i]] == i))];
        Assert.Equal(1, majority);
        Assert.InRange(n - expected.Length, 5, n);
        Assert.Equal(expected, kept);
    }

    [Fact]
    public void TomekLinks_ProtectedMajorityMember_IsKept()
    {
        var x = new FeatureMatrix(7, 1, [0, 1, 1.2, 5, 6, 10, 30]);
        int[] y = [1, 1, 0, 1, 1, 1, 0];
        bool[] isProtected = [false, true, false, false, false, false, false];

        var kept = Resampling.TomekLinks(x, y, isProtected);

        Assert.Equal(7, kept.Length);
    }

    [Fact]
    public void RandomUndersample_Ratio_KeepsFloorOfMinorityOverRatio()
    {
        // Given 10 rows of class 0 and 40 of class 1
        int[] y = [.. Enumerable.Range(0, 50).Select(i => i % 5 == 0 ? 0 : 1)];

        // When undersampled to a minority/majority ratio of 0.3
        var kept = Resampling.RandomUndersample(y, 0.3, seed: 42);

        // Then every class-0 row and ⌊10 / 0.3⌋ = 33 class-1 rows remain, in original order
        Assert.Equal(10, kept.Count(i => y[i] == 0));
        Assert.Equal(33, kept.Count(i => y[i] == 1));
        Assert.Equal(kept.Order(), kept);
    }

    [Fact]
    public void RandomUndersample_Seed_IsDeterministicAndSeedSensitive()
    {
        int[] y = [.. Enumerable.Range(0, 200).Select(i => i % 4 == 0 ? 0 : 1)];

        var first = Resampling.RandomUndersample(y, 0.5, seed: 1);
        var again = Resampling.RandomUndersample(y, 0.5, seed: 1);
        var other = Resampling.RandomUndersample(y, 0.5, seed: 2);

        Assert.Equal(first, again);
        Assert.NotEqual(first, other);
    }

    [Fact]
    public void RandomUndersample_ProtectedRows_AreNeverDropped()
    {
        // Given 10 minority rows, 40 majority rows of which 5 are protected (abstentions, say)
        int[] y = [.. Enumerable.Range(0, 50).Select(i => i < 10 ? 0 : 1)];
        bool[] isProtected = [.. Enumerable.Range(0, 50).Select(i => i is >= 10 and < 15)];

        // When undersampled to ratio 0.5 under many seeds
        foreach (var seed in Enumerable.Range(0, 20))
        {
            var kept = Resampling.RandomUndersample(y, 0.5, seed, isProtected);

            // Then the protected rows are always kept and count towards the 20 majority rows
            Assert.All(Enumerable.Range(10, 5), i => Assert.Contains(i, kept));
            Assert.Equal(20, kept.Count(i => y[i] == 1));
        }
    }

    [Fact]
    public void RandomUndersample_MoreProtectedThanTarget_KeepsAllProtected()
    {
        // Given 2 minority rows and 10 protected majority rows, when asked for ratio 0.5 (target 4 majority rows)
        int[] y = [0, 0, .. Enumerable.Repeat(1, 12)];
        bool[] isProtected = [false, false, .. Enumerable.Repeat(true, 10), false, false];

        var kept = Resampling.RandomUndersample(y, 0.5, seed: 3, isProtected);

        // Then the 10 protected rows stay and no unprotected majority row does
        Assert.Equal([.. Enumerable.Range(0, 12)], kept);
    }

    [Fact]
    public void RandomUndersample_AlreadyBalancedEnough_KeepsEverything()
    {
        int[] y = [0, 0, 0, 1, 1, 1, 1];

        Assert.Equal(7, Resampling.RandomUndersample(y, 0.5, seed: 0).Length);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(1.5)]
    [InlineData(double.NaN)]
    public void RandomUndersample_RatioOutOfRange_ThrowsNamingRange(double ratio)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => Resampling.RandomUndersample([0, 1], ratio, seed: 0));

        Assert.Contains("greater than 0 and at most 1", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TomekLinks_RowEquidistantFromTwoLowerRows_TakesTheLowerIndex()
    {
        // Given row 2 (class 1, at 1) exactly 1 away from row 0 (class 0, at 0) and row 1 (class 1, at 2): both come
        // before it, so the tie is settled where row 2 is the later row of each pair. Class 1 is the majority.
        var x = new FeatureMatrix(3, 1, [0, 2, 1]);
        int[] y = [0, 1, 1];

        // When Tomek links are removed, then row 2's nearest is row 0 (the lower index), row 0's is row 2: a link, and
        // its majority member, row 2, goes (with row 1 as its nearest there would be no link)
        Assert.Equal([0, 1], Resampling.TomekLinks(x, y));
    }

    [Fact]
    public void TomekLinks_512RowsTieAcrossParts_TakesTheLowerIndex()
    {
        // Given the case above with 509 more class-1 rows far away (x = 100 + 10 r, so their nearest rows are their
        // neighbours on the line and there are no more links): with 512 rows the neighbour search is split into
        // min(processors, 2) parts, and the pairs (0, 2) and (1, 2) are measured in different parts, so the tie for
        // row 2 is settled by the merge (on a one-processor machine this runs as one part and checks the same answer)
        const int n = 512;
        var values = new double[n];
        values[0] = 0;
        values[1] = 2;
        values[2] = 1;
        for (var r = 3; r < n; r++)
        {
            values[r] = 100 + (10 * r);
        }

        int[] y = [0, .. Enumerable.Repeat(1, n - 1)];

        // When Tomek links are removed, then only row 2 goes, as in the three-row case
        var kept = Resampling.TomekLinks(new FeatureMatrix(n, 1, values), y);

        Assert.Equal([0, 1, .. Enumerable.Range(3, n - 3)], kept);
    }

    [Fact]
    public void TomekLinks_OneRow_IsKept()
    {
        // Given a single row (it has no neighbour), when Tomek links are removed, then it is kept
        Assert.Equal([0], Resampling.TomekLinks(new FeatureMatrix(1, 1, [3]), [1]));
        Assert.Equal([0], Resampling.TomekLinks(new FeatureMatrix(1, 1, [3]), [0]));
    }

    [Fact]
    public void TomekLinks_BadArguments_ThrowNamingWhatIsWrong()
    {
        var x = new FeatureMatrix(3, 1, [0, 1, 2]);

        Assert.Equal("x", Assert.Throws<ArgumentNullException>(() => Resampling.TomekLinks(null!, [0, 1, 1])).ParamName);
        var length = Assert.Throws<ArgumentException>(() => Resampling.TomekLinks(x, [0, 1]));
        Assert.Equal("y", length.ParamName);
        Assert.Contains("one per row of x", length.Message, StringComparison.Ordinal);

        // A mask longer than the labels would be read only in part, so it is refused too
        var mask = Assert.Throws<ArgumentException>(() => Resampling.TomekLinks(x, [0, 1, 1], [false, false, false, true]));
        Assert.Equal("isProtected", mask.ParamName);
        Assert.Contains("one per label", mask.Message, StringComparison.Ordinal);

        var missing = Assert.Throws<ArgumentException>(() => Resampling.TomekLinks(new FeatureMatrix(3, 1, [0, double.NaN, 2]), [0, 1, 1]));
        Assert.Equal("x", missing.ParamName);
        Assert.Contains("row 1, column 0 is NaN; impute missing values first", missing.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RandomUndersample_MaskOfAnotherLength_Throws()
    {
        var e = Assert.Throws<ArgumentException>(() => Resampling.RandomUndersample([0, 0, 0, 1], 1, seed: 0, [false, false, false, false, true]));

        Assert.Equal("isProtected", e.ParamName);
        Assert.Contains("one per label", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RandomUndersample_ClassZeroMajority_DropsClassZeroRows()
    {
        // Given four rows of class 0 and one of class 1, at ratio 1: keep floor(1 / 1) = 1 class-0 row and the class-1 row
        int[] y = [0, 0, 0, 0, 1];

        var kept = Resampling.RandomUndersample(y, 1, seed: 3);

        Assert.Equal(2, kept.Length);
        Assert.Equal([0, 1], kept.Select(i => y[i]).Order());
    }

    [Fact]
    public void RandomUndersample_RatioExactlyOne_Balances()
    {
        // Given three class-1 rows and one class-0 row, ratio 1 (the upper end, allowed): one class-1 row stays
        int[] y = [1, 0, 1, 1];

        var kept = Resampling.RandomUndersample(y, 1, seed: 0);

        Assert.Equal([0, 1], kept.Select(i => y[i]).Order());
    }
}
