namespace Lpp.Serving.Tests;

/// <summary>The system clock with timers that never fire: a test drives what a timer would (e.g. a rollout poll) itself.</summary>
public sealed class StoppedTimers : TimeProvider
{
    public static readonly StoppedTimers Instance = new();

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) => new Stopped();

    private sealed class Stopped : ITimer
    {
        public bool Change(TimeSpan dueTime, TimeSpan period) => true;

        public void Dispose()
        {
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
