namespace Lpp.Tests;

public sealed class BinomialIntervalTests
{
    // scipy 1.10.1 (Debian python3-scipy, /usr/bin/python3): upper = scipy.stats.beta.ppf(c, k + 1, n - k),
    // lower = scipy.stats.beta.ppf(1 - c, k, n - k + 1); 1e-10 relative.
    public static TheoryData<int, int, double, double, double> ScipyBounds => new()
    {
        { 3, 50, 0.9, 0.1287564225866019, 0.022243984694506093 },
        { 12, 400, 0.9, 0.044132093562876486, 0.01965179425447922 },
        { 30, 981, 0.99, 0.045916033622989225, 0.019206467263775524 },
        { 150, 2000, 0.95, 0.08540795130843803, 0.0655292091898696 },
        { 7, 20, 0.975, 0.5921885345328282, 0.1539092047845412 },
    };

    [Theory]
    [MemberData(nameof(ScipyBounds))]
    public void UpperAndLower_MatchScipyBetaQuantiles(int events, int trials, double confidence, double upper, double lower)
    {
        // Given k events in n trials (scipy.stats.beta.ppf values above, 1e-10 relative)
        // When the one-sided bounds are computed
        // Then they are the Clopper-Pearson beta quantiles
        Close.Relative(upper, BinomialInterval.Upper(events, trials, confidence), 1e-10);
        Close.Relative(lower, BinomialInterval.Lower(events, trials, confidence), 1e-10);
    }

    [Theory]
    [InlineData(10, 0.9)]
    [InlineData(45, 0.9)]
    [InlineData(981, 0.99)]
    public void Upper_NoEvents_IsClosedForm(int trials, double confidence)
    {
        // Given no events: P(0 events | p) = (1 − p)^n = 1 − c at the bound, so upper = 1 − (1 − c)^(1/n) (closed form, 1e-12)
        var expected = 1 - Math.Pow(1 - confidence, 1.0 / trials);

        // When / Then
        Close.Relative(expected, BinomialInterval.Upper(0, trials, confidence), 1e-12);
        Assert.Equal(0, BinomialInterval.Lower(0, trials, confidence));
    }

    [Fact]
    public void Bounds_AllEvents_AreClosedForm()
    {
        // Given 5 events in 5 trials: lower = (1 − c)^(1/n) (closed form, 1e-12; scipy 0.6309573444801932), upper = 1
        // When / Then
        Close.Relative(Math.Pow(0.1, 0.2), BinomialInterval.Lower(5, 5, 0.9), 1e-12);
        Assert.Equal(1, BinomialInterval.Upper(5, 5, 0.9));
    }

    [Fact]
    public void ClopperPearson_TwoSided_TakesEachSideAtHalfTheRest()
    {
        // Given 7 of 20 at the 95% level: each side at confidence 0.975 (scipy values above)
        var interval = BinomialInterval.ClopperPearson(7, 20, 0.95);

        // Then the interval is [lower(0.975), upper(0.975)]
        Close.Relative(0.1539092047845412, interval.Low, 1e-10);
        Close.Relative(0.5921885345328282, interval.High, 1e-10);
    }

    [Fact]
    public void ClopperPearson_NoTrials_IsWholeRange()
    {
        // Given nothing observed, Then nothing is known: [0, 1]
        var interval = BinomialInterval.ClopperPearson(0, 0);
        Assert.Equal(0, interval.Low);
        Assert.Equal(1, interval.High);
    }

    [Theory]
    [InlineData(0.3, 2, 5, 0.5798250000000001)] // I_x(2, 5) = Σ_{j=2..6} C(6, j) x^j (1 − x)^(6 − j) (closed form); scipy.special.betainc agrees
    [InlineData(0.9, 30, 3, 0.3666835190806193)] // scipy.special.betainc(30, 3, 0.9)
    [InlineData(0.05, 13, 389, 0.9653170894958808)] // scipy.special.betainc(13, 389, 0.05)
    [InlineData(0.999, 3, 0.7, 0.981785175090461)] // scipy.special.betainc(3, 0.7, 0.999)
    public void RegularizedBeta_MatchesScipyBetainc(double x, double a, double b, double expected)
    {
        // 1e-11 relative
        Close.Relative(expected, BinomialInterval.RegularizedBeta(x, a, b), 1e-11);
    }

    [Theory]
    [InlineData(0.01)]
    [InlineData(0.5)]
    [InlineData(0.93)]
    public void RegularizedBeta_ArcsineCase_IsClosedForm(double x)
    {
        // I_x(1/2, 1/2) = (2/π) arcsin(√x) (closed form, 1e-12)
        Close.Relative(2 / Math.PI * Math.Asin(Math.Sqrt(x)), BinomialInterval.RegularizedBeta(x, 0.5, 0.5), 1e-12);
    }

    [Fact]
    public void RegularizedBeta_SymmetricLargeShapes_IsOneHalfAtMiddle()
    {
        // I_{1/2}(a, a) = 1/2 by symmetry (closed form, 1e-12)
        Close.Relative(0.5, BinomialInterval.RegularizedBeta(0.5, 1000, 1000), 1e-12);
    }

    [Theory]
    [InlineData(1e-10, 2, 3, 4.082494015808333e-06)] // scipy.stats.beta.ppf(1e-10, 2, 3)
    [InlineData(0.5, 0.3, 0.2, 0.7608649638520181)] // scipy.stats.beta.ppf(0.5, 0.3, 0.2)
    [InlineData(0.999, 1000, 40, 0.9774410096059535)] // scipy.stats.beta.ppf(0.999, 1000, 40)
    public void InverseRegularizedBeta_MatchesScipyBetaPpf(double p, double a, double b, double expected)
    {
        // 1e-10 relative
        Close.Relative(expected, BinomialInterval.InverseRegularizedBeta(p, a, b), 1e-10);
    }

    [Fact]
    public void InverseRegularizedBeta_InvertsRegularizedBeta()
    {
        // Given a grid of shapes and probabilities, When inverted and mapped back, Then p is recovered (1e-12 absolute)
        foreach (var (a, b) in new[] { (1.0, 1.0), (0.4, 7.0), (13.0, 389.0), (250.0, 3.0) })
        {
            foreach (var p in new[] { 1e-6, 0.05, 0.5, 0.9, 0.999999 })
            {
                Close.Absolute(p, BinomialInterval.RegularizedBeta(BinomialInterval.InverseRegularizedBeta(p, a, b), a, b), 1e-12);
            }
        }
    }

    [Fact]
    public void LogGamma_MatchesFactorials()
    {
        // ln Γ(n) = ln (n − 1)! (closed form, 1e-12 absolute; ln Γ(2) = 0), and Γ(1/2) = √π
        var factorial = 1.0;
        for (var n = 2; n <= 30; n++)
        {
            factorial *= n - 1;
            Close.Absolute(Math.Log(factorial), BinomialInterval.LogGamma(n), 1e-12);
        }

        Close.Relative(0.5 * Math.Log(Math.PI), BinomialInterval.LogGamma(0.5), 1e-13);
    }

    [Theory]
    [InlineData(-1, 10, 0.9, "events")]
    [InlineData(11, 10, 0.9, "events")]
    [InlineData(1, 10, 1.0, "confidence")]
    [InlineData(1, 10, 0.0, "confidence")]
    [InlineData(1, 10, double.NaN, "confidence")]
    public void Upper_BadArguments_ThrowNamingThem(int events, int trials, double confidence, string name)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => BinomialInterval.Upper(events, trials, confidence));
        Assert.Equal(name, e.ParamName);
    }
}
