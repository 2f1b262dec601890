using System.Globalization;
using System.Text;

namespace Lpp.Serving;

/// <summary>
/// Counters for <c>GET /metrics</c> (Prometheus text format 0.0.4): decisions by decision/reason/queue, the escalation
/// ratio, request latency histograms per endpoint, queue depths, rejected requests by status, model reloads and audit
/// commits. Lock-free increments; thread-safe.
/// </summary>
internal sealed class ServeMetrics
{
    /// <summary>Latency histogram bucket bounds in seconds.</summary>
    private static readonly double[] Bounds = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];

    private static readonly RoutingReason[] Reasons = Enum.GetValues<RoutingReason>();
    private static readonly int[] RejectedStatuses = [400, 401, 403, 404, 409, 413, 415, 422, 429, 500, 503];

    private readonly long[] _decisions = new long[Reasons.Length];
    private readonly long[] _rejected = new long[RejectedStatuses.Length];
    private readonly Histogram[] _latency = new Histogram[Enum.GetValues<Endpoint>().Length];
    private long _rejectedRecords;
    private long _unseenSourceModel;
    private long _reloads;
    private long _reloadsRefused;
    private long _commits;
    private long _committedRows;
    private long _auditFailures;

    public ServeMetrics()
    {
        for (var i = 0; i < _latency.Length; i++)
        {
            _latency[i] = new Histogram();
        }
    }

    /// <summary>The endpoints whose latency is measured.</summary>
    public enum Endpoint
    {
        Route,
        Batch,
        Queue,
        Review,
        Model,
        Admin,
    }

    public void Decided(RoutingReason reason) => Interlocked.Increment(ref _decisions[(int)reason]);

    /// <summary>Counts a batch's decisions: one interlocked add per reason rather than per decision.</summary>
    public void Decided(ReadOnlySpan<RoutingReason> reasons)
    {
        Span<long> counts = stackalloc long[_decisions.Length];
        foreach (var reason in reasons)
        {
            counts[(int)reason]++;
        }

        for (var r = 0; r < counts.Length; r++)
        {
            if (counts[r] > 0)
            {
                Interlocked.Add(ref _decisions[r], counts[r]);
            }
        }
    }

    public void RejectedRecord() => Interlocked.Increment(ref _rejectedRecords);

    public void UnseenSourceModel() => Interlocked.Increment(ref _unseenSourceModel);

    public void Rejected(int status)
    {
        var i = Array.IndexOf(RejectedStatuses, status);
        if (i >= 0)
        {
            Interlocked.Increment(ref _rejected[i]);
        }
    }

    public void Observe(Endpoint endpoint, long startTimestamp) =>
        _latency[(int)endpoint].Observe(System.Diagnostics.Stopwatch.GetElapsedTime(startTimestamp).TotalSeconds);

    public void ModelReloaded() => Interlocked.Increment(ref _reloads);

    public void ModelReloadRefused() => Interlocked.Increment(ref _reloadsRefused);

    public void AuditCommitted(int rows)
    {
        Interlocked.Increment(ref _commits);
        Interlocked.Add(ref _committedRows, rows);
    }

    public void AuditFailed() => Interlocked.Increment(ref _auditFailures);

    /// <summary>The Prometheus text exposition of every metric.</summary>
    public string Render(IAuditStore store, ServedModel model)
    {
        var s = new StringBuilder(4096);
        var c = CultureInfo.InvariantCulture;
        s.AppendLine("# HELP lpp_decisions_total Decisions made, by decision, reason and queue.");
        s.AppendLine("# TYPE lpp_decisions_total counter");
        long total = 0, escalated = 0;
        foreach (var reason in Reasons)
        {
            var n = Volatile.Read(ref _decisions[(int)reason]);
            total += n;
            var trusted = reason is RoutingReason.Confident or RoutingReason.OverCapacity;
            escalated += trusted ? 0 : n;
            var queue = QueueOf(reason);
            s.Append(c, $"lpp_decisions_total{{decision=\"{(trusted ? "trust" : "escalate")}\",reason=\"{Queues.ReasonName(reason)}\",queue=\"{queue}\"}} {n}\n");
        }

        s.AppendLine("# HELP lpp_escalation_ratio Share of decisions escalated since start.");
        s.AppendLine("# TYPE lpp_escalation_ratio gauge");
        s.Append(c, $"lpp_escalation_ratio {(total == 0 ? 0 : (double)escalated / total)}\n");
        s.AppendLine("# HELP lpp_queue_pending Escalated decisions waiting for review, by queue.");
        s.AppendLine("# TYPE lpp_queue_pending gauge");
        foreach (var queue in Queues.Reviewable)
        {
            s.Append(c, $"lpp_queue_pending{{queue=\"{queue}\"}} {store.PendingCount(queue)}\n");
        }

        s.AppendLine("# HELP lpp_rejected_requests_total Requests refused, by HTTP status.");
        s.AppendLine("# TYPE lpp_rejected_requests_total counter");
        for (var i = 0; i < RejectedStatuses.Length; i++)
        {
            s.Append(c, $"lpp_rejected_requests_total{{status=\"{RejectedStatuses[i]}\"}} {Volatile.Read(ref _rejected[i])}\n");
        }

        s.AppendLine("# HELP lpp_rejected_records_total Records of batches refused (the rest of each batch was answered).");
        s.AppendLine("# TYPE lpp_rejected_records_total counter");
        s.Append(c, $"lpp_rejected_records_total {Volatile.Read(ref _rejectedRecords)}\n");
        s.AppendLine("# HELP lpp_unseen_source_model_total Records routed whose source.model the model's training data did not have.");
        s.AppendLine("# TYPE lpp_unseen_source_model_total counter");
        s.Append(c, $"lpp_unseen_source_model_total {Volatile.Read(ref _unseenSourceModel)}\n");
        s.AppendLine("# HELP lpp_request_duration_seconds Time from request to response body, by endpoint.");
        s.AppendLine("# TYPE lpp_request_duration_seconds histogram");
        foreach (var endpoint in Enum.GetValues<Endpoint>())
        {
            _latency[(int)endpoint].Render(s, endpoint.ToString().ToLowerInvariant());
        }

        s.AppendLine("# HELP lpp_model_info The model in service.");
        s.AppendLine("# TYPE lpp_model_info gauge");
        s.Append(c, $"lpp_model_info{{checksum=\"{model.Checksum}\",tau=\"{model.Model.Tau.ToString("R", c)}\"}} 1\n");
        s.AppendLine("# HELP lpp_model_reloads_total Model swaps, by result.");
        s.AppendLine("# TYPE lpp_model_reloads_total counter");
        s.Append(c, $"lpp_model_reloads_total{{result=\"swapped\"}} {Volatile.Read(ref _reloads)}\n");
        s.Append(c, $"lpp_model_reloads_total{{result=\"refused\"}} {Volatile.Read(ref _reloadsRefused)}\n");
        s.AppendLine("# HELP lpp_audit_commits_total Group commits of the audit store.");
        s.AppendLine("# TYPE lpp_audit_commits_total counter");
        s.Append(c, $"lpp_audit_commits_total {Volatile.Read(ref _commits)}\n");
        s.AppendLine("# HELP lpp_audit_rows_total Decisions and reviews committed to the audit store.");
        s.AppendLine("# TYPE lpp_audit_rows_total counter");
        s.Append(c, $"lpp_audit_rows_total {Volatile.Read(ref _committedRows)}\n");
        s.AppendLine("# HELP lpp_audit_failures_total Audit commits that failed (their requests got 503).");
        s.AppendLine("# TYPE lpp_audit_failures_total counter");
        s.Append(c, $"lpp_audit_failures_total {Volatile.Read(ref _auditFailures)}\n");
        return s.ToString();
    }

    private static string QueueOf(RoutingReason reason) => reason switch
    {
        RoutingReason.Confident or RoutingReason.OverCapacity => Queues.Auto,
        RoutingReason.AbstainEvidence => Queues.SeniorReview,
        RoutingReason.AbstainDefinition => Queues.PolicyReview,
        _ => Queues.Review,
    };

    private sealed class Histogram
    {
        private readonly long[] _counts = new long[Bounds.Length + 1];
        private long _sumMicros;

        public void Observe(double seconds)
        {
            var i = 0;
            while (i < Bounds.Length && seconds > Bounds[i])
            {
                i++;
            }

            Interlocked.Increment(ref _counts[i]);
            Interlocked.Add(ref _sumMicros, (long)(seconds * 1e6));
        }

        public void Render(StringBuilder s, string endpoint)
        {
            var c = CultureInfo.InvariantCulture;
            long cumulative = 0;
            for (var i = 0; i < Bounds.Length; i++)
            {
                cumulative += Volatile.Read(ref _counts[i]);
                s.Append(c, $"lpp_request_duration_seconds_bucket{{endpoint=\"{endpoint}\",le=\"{Bounds[i].ToString("R", c)}\"}} {cumulative}\n");
            }

            cumulative += Volatile.Read(ref _counts[Bounds.Length]);
            s.Append(c, $"lpp_request_duration_seconds_bucket{{endpoint=\"{endpoint}\",le=\"+Inf\"}} {cumulative}\n");
            s.Append(c, $"lpp_request_duration_seconds_sum{{endpoint=\"{endpoint}\"}} {(Volatile.Read(ref _sumMicros) / 1e6).ToString("R", c)}\n");
            s.Append(c, $"lpp_request_duration_seconds_count{{endpoint=\"{endpoint}\"}} {cumulative}\n");
        }
    }
}
