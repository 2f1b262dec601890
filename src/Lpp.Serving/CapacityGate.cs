using System.Diagnostics.Metrics;

namespace Lpp.Serving;

/// <summary>
/// <c>lpp serve --capacity</c>: one <see cref="CapacityWindow"/> per limited queue over the trailing hour of this
/// server (time from the injected <see cref="TimeProvider"/>, in milliseconds; the saving threshold recomputed at
/// most every <see cref="ServeDefaults.CapacityRefreshMs"/>). An escalation the window does not admit is trusted
/// instead (<see cref="RoutingDecision.TrustedOverCapacity"/>) and counted. Thread-safe (a lock per queue).
/// </summary>
internal sealed class CapacityGate
{
    private readonly Dictionary<string, Limited> _queues;

    public CapacityGate(ReviewCapacity capacity, long startMs)
    {
        _queues = capacity.PerHour.ToDictionary(
            p => p.Key,
            p => new Limited(new CapacityWindow(p.Value, ServeDefaults.CapacityWindowMs, startMs, ServeDefaults.CapacityRefreshMs)),
            StringComparer.Ordinal);
    }

    /// <summary>
    /// The decision as served: a trusted one, or one to a queue without a limit, as it is; an escalation offered to its
    /// queue's window with its expected saving in its own costs (or <paramref name="modelCost"/>), trusted instead
    /// when not admitted. Abstentions and unparseable answers are always admitted.
    /// </summary>
    public RoutingDecision Apply(RoutingDecision decision, CostModel modelCost, long nowMs)
    {
        if (decision.Trust || !_queues.TryGetValue(decision.Queue, out var queue))
        {
            return decision;
        }

        var forced = decision.Reason != RoutingReason.LowConfidence;
        var saving = forced ? double.PositiveInfinity : CapacityReplay.ExpectedSaving(decision.Costs ?? modelCost, decision.Score);
        bool admitted;
        lock (queue)
        {
            admitted = queue.Window.Offer(nowMs, saving, forced);
        }

        if (admitted)
        {
            return decision;
        }

        Interlocked.Increment(ref queue.OverCapacity);
        return decision.TrustedOverCapacity();
    }

    /// <summary>
    /// Publishes the capacity metrics on <paramref name="meter"/>, read as of each scrape on <paramref name="time"/>:
    /// <c>lpp_over_capacity_total{queue}</c>, <c>lpp_capacity_per_hour{queue}</c>, <c>lpp_capacity_used{queue}</c>
    /// and <c>lpp_capacity_saving_threshold{queue}</c>.
    /// </summary>
    public void Publish(Meter meter, TimeProvider time)
    {
        meter.CreateObservableCounter("lpp_over_capacity_total", () => _queues.Select(q => new Measurement<long>(Volatile.Read(ref q.Value.OverCapacity), QueueTag(q.Key))), description: "Escalations trusted instead because their queue was at capacity (reason over_capacity), by queue.");
        meter.CreateObservableGauge("lpp_capacity_per_hour", () => _queues.Select(q => new Measurement<long>(q.Value.Window.Capacity, QueueTag(q.Key))), description: "The queue's capacity (--capacity), escalations per trailing hour.");
        meter.CreateObservableGauge("lpp_capacity_used", () => State(time).Select(q => new Measurement<long>(q.Used, QueueTag(q.Queue))), description: "Escalations admitted to the queue over the trailing hour (this server).");
        meter.CreateObservableGauge("lpp_capacity_saving_threshold", () => State(time).Select(q => new Measurement<double>(q.Threshold, QueueTag(q.Queue))), description: "The expected saving an escalation needs to be admitted (-Inf: any).");
    }

    /// <summary>Each queue's window advanced to now: escalations admitted over the trailing hour and the saving threshold.</summary>
    private List<(string Queue, int Used, double Threshold)> State(TimeProvider time)
    {
        var nowMs = time.GetUtcNow().ToUnixTimeMilliseconds();
        var state = new List<(string Queue, int Used, double Threshold)>(_queues.Count);
        foreach (var (name, queue) in _queues)
        {
            lock (queue)
            {
                queue.Window.Advance(nowMs);
                state.Add((name, queue.Window.Used, queue.Window.Threshold));
            }
        }

        return state;
    }

    private static KeyValuePair<string, object?> QueueTag(string queue) => new("queue", queue);

    private sealed class Limited(CapacityWindow window)
    {
        public CapacityWindow Window { get; } = window;

        public long OverCapacity;
    }
}
