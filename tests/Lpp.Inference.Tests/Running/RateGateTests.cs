namespace Lpp.Inference.Tests;

public sealed class RateGateTests
{
    [Fact]
    public async Task WaitAsync_BeyondTheBudget_WaitsForTheRefill()
    {
        // Given 60 requests per minute (one per second) and a clock whose waits are recorded, not slept
        var time = new InstantTimeProvider();
        var gate = new RateGate(60, time);

        // When 62 requests go through at once
        for (var i = 0; i < 62; i++)
        {
            await gate.WaitAsync(1, TestContext.Current.CancellationToken);
        }

        // Then the first 60 pass and the next two wait about one second each
        Assert.Equal(2, time.Delays.Count);
        Assert.All(time.Delays, d => Assert.InRange(d.TotalSeconds, 0.99, 1.01));
    }

    [Fact]
    public async Task Adjust_TrueCostLower_GivesUnitsBack()
    {
        var time = new InstantTimeProvider();
        var gate = new RateGate(1000, time);
        await gate.WaitAsync(1000, TestContext.Current.CancellationToken);

        gate.Adjust(-500);
        await gate.WaitAsync(500, TestContext.Current.CancellationToken);

        Assert.Empty(time.Delays);
    }
}
