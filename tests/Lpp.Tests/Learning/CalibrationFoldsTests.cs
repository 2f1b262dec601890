namespace Lpp.Tests;

public sealed class CalibrationFoldsTests
{
    [Fact]
    public void Prepare_SeededK_UsesStratifiedKFoldAndOneGramPerFold()
    {
        // Given data
        var (x, y) = RidgeClassifierTrainerTests.RandomData(seed: 2, rows: 90, columns: 3);

        // When prepared with k = 3 and a seed
        var prepared = CalibrationFolds.Prepare(x, y, 3, seed: 4);

        // Then the folds are StratifiedSplit's and each gram counts its training part
        Assert.Equal(StratifiedSplit.KFold(y, 3, 4), prepared.Folds);
        Assert.Equal(3, prepared.Grams.Length);
        for (var f = 0; f < 3; f++)
        {
            var train = prepared.Folds[f].Train;
            Assert.Equal(train.Count(r => y[r] == 0), prepared.Grams[f].Class0Count);
            Assert.Equal(train.Count(r => y[r] == 1), prepared.Grams[f].Class1Count);
        }
    }

    [Fact]
    public void Prepare_RowInBothParts_ThrowsNamingRow()
    {
        // Given a fold whose row 2 is both trained on and held out
        var (x, y) = RidgeClassifierTrainerTests.RandomData(seed: 2, rows: 6, columns: 2);
        IndexSplit[] folds = [new([0, 1, 2], [2, 3, 4, 5])];

        // When prepared
        var e = Assert.Throws<ArgumentException>(() => CalibrationFolds.Prepare(x, y, folds));

        // Then the fold and row are named
        Assert.Contains("fold 0 has row 2 in both", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Prepare_TrainingPartWithOneClass_ThrowsNamingFold()
    {
        // Given a fold that trains on class 0 only
        var x = new FeatureMatrix(4, 1, [1, 2, 3, 4]);
        int[] y = [0, 0, 1, 1];
        IndexSplit[] folds = [new([0, 1], [2, 3])];

        // When prepared
        var e = Assert.Throws<ArgumentException>(() => CalibrationFolds.Prepare(x, y, folds));

        // Then the fold and the counts are named
        Assert.Contains("fold 0 training part", e.Message, StringComparison.Ordinal);
        Assert.Contains("got 2 of class 0 and 0 of class 1", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Prepare_TestRowOutOfRange_ThrowsNamingRow()
    {
        var x = new FeatureMatrix(4, 1, [1, 2, 3, 4]);

        var e = Assert.Throws<ArgumentException>(() => CalibrationFolds.Prepare(x, [0, 1, 0, 1], [new IndexSplit([0, 1], [7])]));

        Assert.Contains("test row 7 is outside 0..3", e.Message, StringComparison.Ordinal);
    }
}
