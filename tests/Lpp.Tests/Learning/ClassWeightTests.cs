namespace Lpp.Tests;

public sealed class ClassWeightTests
{
    [Fact]
    public void Resolve_Balanced_IsNOverTwiceTheClassCount()
    {
        // Given 25 rows of class 0 and 75 of class 1, when balanced weights are resolved
        var (w0, w1) = ClassWeight.Balanced.Resolve(25, 75);

        // Then w_c = n / (2·n_c) (sklearn compute_class_weight("balanced"), closed form)
        Assert.Equal(100.0 / 50, w0);
        Assert.Equal(100.0 / 150, w1);
    }

    [Fact]
    public void Resolve_NoneAndExplicit_IgnoreCounts()
    {
        Assert.Equal((1.0, 1.0), ClassWeight.None.Resolve(3, 7));
        Assert.Equal((1.5625, 1.0), ClassWeight.Explicit(1.5625, 1).Resolve(3, 7));
    }

    [Fact]
    public void Explicit_NonPositive_ThrowsNamingClass()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => ClassWeight.Explicit(1, 0));

        Assert.Equal("class1", e.ParamName);
    }

    [Fact]
    public void Resolve_BalancedWithEmptyClass_Throws()
    {
        var e = Assert.Throws<ArgumentException>(() => ClassWeight.Balanced.Resolve(0, 4));

        Assert.Contains("got 0 of class 0 and 4 of class 1", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ToString_Kinds_UseSklearnSpelling()
    {
        Assert.Equal("balanced", ClassWeight.Balanced.ToString());
        Assert.Equal("{0: 0.64, 1: 1}", ClassWeight.Explicit(0.64, 1).ToString());
        Assert.Equal(ClassWeight.None, ClassWeight.Explicit(1, 1));
    }
}
