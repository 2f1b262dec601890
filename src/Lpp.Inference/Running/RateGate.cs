namespace Lpp.Inference;

/// <summary>
/// A client-side limit of so many units per minute: a token bucket holding at most one minute's budget, refilled
/// continuously. Callers reserve what they need and wait (on the injected clock) until the reservation is covered,
/// so concurrent callers are served in arrival order.
/// </summary>
internal sealed class RateGate(int perMinute, TimeProvider time)
{
    private readonly Lock _lock = new();
    private readonly double _perSecond = perMinute / 60.0;
    private double _available = perMinute;
    private long _last = time.GetTimestamp();

    public int PerMinute => perMinute;

    /// <summary>Reserves <paramref name="units"/> (capped at one minute's budget) and waits until they are available.</summary>
    public Task WaitAsync(double units, CancellationToken cancellationToken)
    {
        TimeSpan wait;
        lock (_lock)
        {
            Refill();
            _available -= Math.Min(units, perMinute);
            wait = _available >= 0 ? TimeSpan.Zero : TimeSpan.FromSeconds(-_available / _perSecond);
        }

        return wait <= TimeSpan.Zero ? Task.CompletedTask : Task.Delay(wait, time, cancellationToken);
    }

    /// <summary>Corrects an earlier reservation once the true cost is known (negative gives units back).</summary>
    public void Adjust(double units)
    {
        lock (_lock)
        {
            Refill();
            _available = Math.Min(perMinute, _available - units);
        }
    }

    private void Refill()
    {
        var now = time.GetTimestamp();
        _available = Math.Min(perMinute, _available + (time.GetElapsedTime(_last, now).TotalSeconds * _perSecond));
        _last = now;
    }
}
