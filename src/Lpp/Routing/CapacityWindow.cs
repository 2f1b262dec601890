namespace Lpp;

/// <summary>
/// The admission rule of one review queue with a capacity of C escalations per trailing window W, shared by
/// <c>lpp serve --capacity</c> (time in milliseconds, W an hour) and <c>lpp experiment --capacity</c>
/// (<see cref="CapacityReplay"/>: time in arrivals). Every escalation the model makes to the queue is offered with
/// its expected saving (<see cref="CapacityReplay.ExpectedSaving"/>); a forced one (an abstention or an unparseable
/// answer: there is no answer to trust) is always admitted. Any other is admitted when both hold:
/// <list type="bullet">
/// <item>fewer than C admitted escalations lie in the trailing window (the hard limit);</item>
/// <item>its saving is at least T, the k-th largest saving among the escalations offered in the trailing window
/// (forced ones counting as larger than any), with k = ⌈C · e / W⌉ and e the time observed so far counting the
/// current unit, now − start + 1, at most W (T = −∞ when fewer than k were offered or k = 0).</item>
/// </list>
/// Once a whole window has been observed this admits an item exactly when fewer than C of the window's other offers
/// were worth more: over any window the queue receives the C items where review is worth most, as far as the recent
/// past tells. Before that, k scales C to the share of the window seen, so the first window is not spent first come,
/// first served. T is recomputed at most every <c>refreshEvery</c> time units (0: at every offer, as the replay does;
/// the service uses a second), a scan of the window's offers. Not thread-safe.
/// </summary>
public sealed class CapacityWindow
{
    private readonly Queue<(long Time, double Saving, bool Admitted)> _offers = new();
    private readonly PriorityQueue<double, double> _top = new();
    private readonly long _start;
    private long _refreshedAt = long.MinValue;
    private bool _refreshed;

    /// <summary>Creates the window of a queue admitting <paramref name="capacity"/> escalations per <paramref name="window"/> time units, observed from <paramref name="start"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A capacity below 0, a window below 1 or a negative refresh interval.</exception>
    public CapacityWindow(int capacity, long window, long start, long refreshEvery = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(capacity);
        ArgumentOutOfRangeException.ThrowIfLessThan(window, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(refreshEvery);
        Capacity = capacity;
        Window = window;
        RefreshEvery = refreshEvery;
        _start = start;
    }

    /// <summary>C: escalations admitted per window.</summary>
    public int Capacity { get; }

    /// <summary>W, in the caller's time units.</summary>
    public long Window { get; }

    /// <summary>How often T is recomputed, in the caller's time units (0: at every offer).</summary>
    public long RefreshEvery { get; }

    /// <summary>Admitted escalations in the trailing window as of the last offer or <see cref="Advance"/>.</summary>
    public int Used { get; private set; }

    /// <summary>Escalations offered in the trailing window as of the last offer or <see cref="Advance"/>.</summary>
    public int Offered => _offers.Count;

    /// <summary>The saving an item needed at the last refresh (−∞ when any would do).</summary>
    public double Threshold { get; private set; } = double.NegativeInfinity;

    /// <summary>Offers one escalation at time <paramref name="now"/> (never earlier than the last offer); true when admitted.</summary>
    public bool Offer(long now, double saving, bool forced)
    {
        Advance(now);
        if (!_refreshed || now - _refreshedAt >= RefreshEvery)
        {
            Refresh(now);
        }

        var admitted = forced || (Used < Capacity && saving >= Threshold);
        _offers.Enqueue((now, forced ? double.PositiveInfinity : saving, admitted));
        Used += admitted ? 1 : 0;
        return admitted;
    }

    /// <summary>Drops the offers that left the trailing window at <paramref name="now"/>: those at or before now − W.</summary>
    public void Advance(long now)
    {
        while (_offers.Count > 0 && _offers.Peek().Time <= now - Window)
        {
            Used -= _offers.Dequeue().Admitted ? 1 : 0;
        }
    }

    private void Refresh(long now)
    {
        _refreshed = true;
        _refreshedAt = now;
        var observed = Math.Clamp(now - _start + 1, 0, Window);
        var k = (int)Math.Ceiling(Capacity * (double)observed / Window);
        if (k == 0 || _offers.Count < k)
        {
            Threshold = double.NegativeInfinity;
            return;
        }

        // The k-th largest: a min-heap of the k largest seen so far; most offers fail the comparison with its least.
        _top.Clear();
        foreach (var (_, saving, _) in _offers)
        {
            if (_top.Count < k)
            {
                _top.Enqueue(saving, saving);
            }
            else if (saving > _top.Peek())
            {
                _top.DequeueEnqueue(saving, saving);
            }
        }

        Threshold = _top.Peek();
    }
}
