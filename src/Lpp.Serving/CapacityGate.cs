using System.Globalization;
using System.Text;

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

    /// <summary>Appends the capacity metrics (Prometheus text) as of <paramref name="nowMs"/>.</summary>
    public void Render(StringBuilder s, long nowMs)
    {
        var c = CultureInfo.InvariantCulture;
        s.AppendLine("# HELP lpp_over_capacity_total Escalations trusted instead because their queue was at capacity (reason over_capacity), by queue.");
        s.AppendLine("# TYPE lpp_over_capacity_total counter");
        foreach (var (name, queue) in _queues)
        {
            s.Append(c, $"lpp_over_capacity_total{{queue=\"{name}\"}} {Volatile.Read(ref queue.OverCapacity)}\n");
        }

        s.AppendLine("# HELP lpp_capacity_per_hour The queue's capacity (--capacity), escalations per trailing hour.");
        s.AppendLine("# TYPE lpp_capacity_per_hour gauge");
        foreach (var (name, queue) in _queues)
        {
            s.Append(c, $"lpp_capacity_per_hour{{queue=\"{name}\"}} {queue.Window.Capacity}\n");
        }

        var state = new List<(string Queue, int Used, double Threshold)>(_queues.Count);
        foreach (var (name, queue) in _queues)
        {
            lock (queue)
            {
                queue.Window.Advance(nowMs);
                state.Add((name, queue.Window.Used, queue.Window.Threshold));
            }
        }

        s.AppendLine("# HELP lpp_capacity_used Escalations admitted to the queue over the trailing hour (this server).");
        s.AppendLine("# TYPE lpp_capacity_used gauge");
        foreach (var (name, used, _) in state)
        {
            s.Append(c, $"lpp_capacity_used{{queue=\"{name}\"}} {used}\n");
        }

        s.AppendLine("# HELP lpp_capacity_saving_threshold The expected saving an escalation needs to be admitted (-Inf: any).");
        s.AppendLine("# TYPE lpp_capacity_saving_threshold gauge");
        foreach (var (name, _, threshold) in state)
        {
            s.Append(c, $"lpp_capacity_saving_threshold{{queue=\"{name}\"}} {Prometheus(threshold)}\n");
        }
    }

    private static string Prometheus(double value) => double.IsNegativeInfinity(value) ? "-Inf" : double.IsPositiveInfinity(value) ? "+Inf" : value.ToString("R", CultureInfo.InvariantCulture);

    private sealed class Limited(CapacityWindow window)
    {
        public CapacityWindow Window { get; } = window;

        public long OverCapacity;
    }
}
