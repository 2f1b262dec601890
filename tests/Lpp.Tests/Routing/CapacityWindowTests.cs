namespace Lpp.Tests;

public sealed class CapacityWindowTests
{
    [Fact]
    public void Offer_WholeWindowObserved_AdmitsOnlyTheCLargestSavingsOfTheTrailingWindow()
    {
        // Given capacity 1 per window of 10, observed since 0 (so from t = 10 on a whole window has been seen)
        var window = new CapacityWindow(capacity: 1, window: 10, start: 0);

        // When escalations are offered, by hand:
        // t=10 saving 3: nothing offered before, T = -inf, room: admitted
        // t=15 saving 2: T = largest of {3} = 3, and no room: trusted
        // t=21 saving 1: t=10 left the window (10 <= 21 - 10), room again, but T = largest of {2} = 2 > 1: trusted
        // t=22 saving 2.5: T = largest of {2, 1} = 2 <= 2.5, room: admitted
        // t=23 saving 10: worth most, but no room (t=22 admitted within the window): trusted
        bool[] admitted =
        [
            window.Offer(10, 3, forced: false),
            window.Offer(15, 2, forced: false),
            window.Offer(21, 1, forced: false),
            window.Offer(22, 2.5, forced: false),
            window.Offer(23, 10, forced: false),
        ];

        // Then
        Assert.Equal([true, false, false, true, false], admitted);
        Assert.Equal(1, window.Used);
        Assert.Equal(4, window.Offered);
    }

    [Fact]
    public void Offer_Forced_AlwaysAdmittedAndWorthMoreThanAny()
    {
        // Given capacity 1 per window of 10, a forced escalation (an abstention) at t=10
        var window = new CapacityWindow(capacity: 1, window: 10, start: 0);
        Assert.True(window.Offer(10, 0, forced: true));

        // When a second forced one and then one of any saving are offered within the window
        var forcedAgain = window.Offer(11, 0, forced: true);
        Assert.Equal(2, window.Used);
        window.Advance(20);
        var large = window.Offer(20, 1e9, forced: false);

        // Then the forced one is admitted beyond the capacity, and the large saving is not: t=11 (forced, +inf) is
        // still in the window (t=10 left it at 20), and counts both as used and as worth more than any saving
        Assert.True(forcedAgain);
        Assert.False(large);
        Assert.Equal(double.PositiveInfinity, window.Threshold);
    }

    [Fact]
    public void Offer_FirstWindow_ScalesTheCapacityToTheShareSeen()
    {
        // Given capacity 10 per window of 100 observed since 0
        var window = new CapacityWindow(capacity: 10, window: 100, start: 0);

        // When offered, by hand (e = t - start + 1): t=1 saving 5: k = ceil(10 * 2/100) = 1 but nothing offered yet,
        // T = -inf: admitted; t=9 saving 4: k = ceil(10 * 10/100) = 1, T = largest of {5} = 5 > 4: trusted although
        // 9 places are free; t=19 saving 6: k = ceil(10 * 20/100) = 2, T = 2nd largest of {5, 4} = 4 <= 6: admitted
        bool[] admitted = [window.Offer(1, 5, false), window.Offer(9, 4, false), window.Offer(19, 6, false)];

        // Then the first window is not spent first come, first served
        Assert.Equal([true, false, true], admitted);
        Assert.Equal(4, window.Threshold);
    }

    [Fact]
    public void Offer_RefreshInterval_ThresholdRecomputedOnlyThatOften()
    {
        // Given capacity 2 per window of 100, long observed, the threshold recomputed at most every 5 time units
        var window = new CapacityWindow(capacity: 2, window: 100, start: -1000, refreshEvery: 5);

        // When offers come at t = 0 (refresh: nothing offered, T = -inf), 1 and 2 (no refresh), then 5 (refresh)
        window.Offer(0, 3, false);
        window.Offer(1, 4, false);
        var before = window.Threshold;
        window.Offer(2, 1, false);
        window.Offer(5, 1, false);

        // Then T stayed -inf until t = 5, when it became the 2nd largest of {3, 4, 1} = 3
        Assert.Equal(double.NegativeInfinity, before);
        Assert.Equal(3, window.Threshold);
    }

    [Fact]
    public void Constructor_BadArguments_AreRefused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new CapacityWindow(-1, 10, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new CapacityWindow(1, 0, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new CapacityWindow(1, 10, 0, refreshEvery: -1));
    }
}
