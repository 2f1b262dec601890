using System.Collections.Concurrent;

namespace Lpp.Inference.Tests;

/// <summary>
/// A clock whose waits complete at once: a wait's timer (Task.Delay: backoff, Retry-After, rate limits) fires
/// immediately and moves the virtual clock forward by its due time, and each such delay is recorded. Tests assert the
/// delays without sleeping. A deadline's timer (a CancellationTokenSource cancelling after a delay: the runner's
/// attempt timeout) is held instead, and fires only when <see cref="Advance"/> moves the clock past it, so a test
/// decides when a deadline passes and an answer that arrives is never cut off by a clock that raced ahead (the waits
/// move the clock but do not pass deadlines).
/// </summary>
public sealed class InstantTimeProvider : TimeProvider
{
    private long _ticks = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero).UtcTicks;

    public ConcurrentQueue<TimeSpan> Delays { get; } = new();

    public override DateTimeOffset GetUtcNow() => new(Interlocked.Read(ref _ticks), TimeSpan.Zero);

    public override long GetTimestamp() => Interlocked.Read(ref _ticks);

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    private readonly List<HeldTimer> _held = [];

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        if (state is CancellationTokenSource)
        {
            var held = new HeldTimer(this, callback, state);
            held.Change(dueTime, period);
            return held;
        }

        var timer = new InstantTimer(this, callback, state);
        timer.Change(dueTime, period);
        return timer;
    }

    /// <summary>Deadlines set and not yet passed.</summary>
    public int PendingDeadlines
    {
        get
        {
            lock (_held)
            {
                return _held.Count;
            }
        }
    }

    /// <summary>Moves the clock forward by <paramref name="by"/> and fires every held deadline that is then due.</summary>
    public void Advance(TimeSpan by)
    {
        var now = Interlocked.Add(ref _ticks, by.Ticks);
        List<HeldTimer> due;
        lock (_held)
        {
            due = [.. _held.Where(t => t.DueTicks <= now)];
            _held.RemoveAll(due.Contains);
        }

        foreach (var timer in due)
        {
            timer.Fire();
        }
    }

    private void Wait(TimeSpan dueTime)
    {
        Delays.Enqueue(dueTime);
        Interlocked.Add(ref _ticks, dueTime.Ticks);
    }

    private sealed class InstantTimer(InstantTimeProvider clock, TimerCallback callback, object? state) : ITimer
    {
        private readonly ITimer _inner = TimeProvider.System.CreateTimer(callback, state, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            if (dueTime == Timeout.InfiniteTimeSpan)
            {
                return _inner.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            }

            if (dueTime > TimeSpan.Zero)
            {
                clock.Wait(dueTime);
            }

            return _inner.Change(TimeSpan.Zero, Timeout.InfiniteTimeSpan);
        }

        public void Dispose() => _inner.Dispose();

        public ValueTask DisposeAsync() => _inner.DisposeAsync();
    }

    private sealed class HeldTimer(InstantTimeProvider clock, TimerCallback callback, object? state) : ITimer
    {
        public long DueTicks { get; private set; }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            lock (clock._held)
            {
                clock._held.Remove(this);
                if (dueTime != Timeout.InfiniteTimeSpan)
                {
                    DueTicks = clock.GetTimestamp() + dueTime.Ticks;
                    clock._held.Add(this);
                }
            }

            return true;
        }

        public void Fire() => callback(state);

        public void Dispose()
        {
            lock (clock._held)
            {
                clock._held.Remove(this);
            }
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
