using System.Diagnostics.Metrics;
using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;

namespace Lpp.Serving;

/// <summary>
/// The service's metrics, a <see cref="System.Diagnostics.Metrics.Meter"/> named <see cref="MeterName"/> exported on
/// <c>GET /metrics</c> in the Prometheus text format by OpenTelemetry's Prometheus exporter: decisions by
/// decision/reason/queue, the escalation ratio, request latency by endpoint, queue depths, rejected requests by
/// status, model reloads and audit commits, and the live monitoring gauges (<see cref="LiveMonitor"/>).
/// <para>
/// Counts are kept in lock-free cells (one interlocked add on the request path, no tag lookup, no allocation) and
/// published as observable counters, so every label set is exposed from the start, at 0, as dashboards expect;
/// latency is a <see cref="Histogram{T}"/> recorded with one preallocated tag. The instrument names are the
/// Prometheus names themselves, and the exporter adds no scope labels and no <c>target_info</c>, so the exposition
/// keeps the names, labels and HELP texts of the hand-written one it replaced. Thread-safe.
/// </para>
/// </summary>
internal sealed class ServeMetrics : IDisposable
{
    /// <summary>The meter's name, for other listeners (dotnet-counters, an OTLP exporter).</summary>
    public const string MeterName = "Lpp.Serving";

    /// <summary>Latency histogram bucket bounds in seconds.</summary>
    private static readonly double[] Bounds = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];

    private static readonly RoutingReason[] Reasons = Enum.GetValues<RoutingReason>();
    private static readonly int[] RejectedStatuses = [400, 401, 403, 404, 409, 413, 415, 422, 429, 500, 503];

    private static readonly KeyValuePair<string, object?>[] EndpointTags =
        [.. Enum.GetValues<Endpoint>().Select(e => Tag("endpoint", e.ToString().ToLowerInvariant()))];

    private static readonly KeyValuePair<string, object?>[][] DecisionTags =
        [.. Reasons.Select(r => new[] { Tag("decision", Trusted(r) ? "trust" : "escalate"), Tag("reason", Queues.ReasonName(r)), Tag("queue", QueueOf(r)) })];

    private static readonly KeyValuePair<string, object?>[] ShadowTags = [Tag("result", "agree"), Tag("result", "disagree"), Tag("result", "unscored")];

    private static readonly KeyValuePair<string, object?>[] StatusTags =
        [.. RejectedStatuses.Select(s => Tag("status", s.ToString(CultureInfo.InvariantCulture)))];

    private readonly Meter _meter = new(MeterName);
    private readonly long[] _decisions = new long[Reasons.Length];
    private readonly long[] _rejected = new long[RejectedStatuses.Length];
    private readonly long[] _shadow = new long[ShadowTags.Length];
    private readonly Histogram<double> _latency;
    private long _rejectedRecords;
    private long _unseenSourceModel;
    private long _reloads;
    private long _reloadsRefused;
    private long _commits;
    private long _committedRows;
    private long _auditFailures;

    public ServeMetrics()
    {
        _meter.CreateObservableCounter("lpp_decisions_total", () => Reasons.Select(r => new Measurement<long>(Volatile.Read(ref _decisions[(int)r]), DecisionTags[(int)r])), description: "Decisions made, by decision, reason and queue.");
        _meter.CreateObservableGauge("lpp_escalation_ratio", EscalationRatio, description: "Share of decisions escalated since start.");
        _meter.CreateObservableCounter("lpp_rejected_requests_total", () => RejectedStatuses.Select((_, i) => new Measurement<long>(Volatile.Read(ref _rejected[i]), StatusTags[i])), description: "Requests refused, by HTTP status.");
        _meter.CreateObservableCounter("lpp_rejected_records_total", () => Volatile.Read(ref _rejectedRecords), description: "Records of batches refused (the rest of each batch was answered).");
        _meter.CreateObservableCounter("lpp_unseen_source_model_total", () => Volatile.Read(ref _unseenSourceModel), description: "Records routed whose source.model the model's training data did not have.");
        _latency = _meter.CreateHistogram("lpp_request_duration_seconds", "s", "Time from request to response body, by endpoint.", advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = Bounds });
        _meter.CreateObservableCounter("lpp_model_reloads_total", () => (IEnumerable<Measurement<long>>)[new(Volatile.Read(ref _reloads), Tag("result", "swapped")), new(Volatile.Read(ref _reloadsRefused), Tag("result", "refused"))], description: "Model swaps, by result.");
        _meter.CreateObservableCounter("lpp_audit_commits_total", () => Volatile.Read(ref _commits), description: "Group commits of the audit store.");
        _meter.CreateObservableCounter("lpp_audit_rows_total", () => Volatile.Read(ref _committedRows), description: "Decisions and reviews committed to the audit store.");
        _meter.CreateObservableCounter("lpp_audit_failures_total", () => Volatile.Read(ref _auditFailures), description: "Audit transactions that failed: group commits, and the writes of a failed one retried alone (a write that failed alone got 503).");
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

    /// <summary>The meter the instruments belong to.</summary>
    public Meter Meter => _meter;

    /// <summary>
    /// Maps <c>GET /metrics</c> to the Prometheus exporter registered by <see cref="AddExporter"/>. Open to any
    /// caller, API keys or not, as before (a scraper holds no key; the metrics carry counts, not content).
    /// </summary>
    public static void MapExporter(IEndpointRouteBuilder app) =>
        app.MapPrometheusScrapingEndpoint("/metrics").WithMetadata(new HttpMethodMetadata(["GET"]));

    /// <summary>
    /// Registers OpenTelemetry's Prometheus exporter over this meter only: another server in the same process has its
    /// own meter of the same name, whose instruments this one's provider drops.
    /// </summary>
    public void AddExporter(IServiceCollection services) =>
        services.AddOpenTelemetry().WithMetrics(m => m
            .AddMeter(MeterName)
            .AddView(instrument => ReferenceEquals(instrument.Meter, _meter) ? null : MetricStreamConfiguration.Drop)
            .AddPrometheusExporter(o =>
            {
                // The names are the Prometheus names already; no scope labels or target_info series, which the
                // hand-written exposition never had; every scrape reads the current values (no response cache).
                o.DisableTotalNameSuffixForCounters = true;
                o.ScopeInfoEnabled = false;
                o.TargetInfoEnabled = false;
                o.ScrapeResponseCacheDurationMilliseconds = 0;
            }));

    /// <summary>Adds the gauges read from the store, the model in service and the live monitor.</summary>
    public void Publish(IAuditStore store, ModelSlot models, LiveMonitor live)
    {
        _meter.CreateObservableGauge("lpp_queue_pending", () => Queues.Reviewable.Select(q => new Measurement<long>(store.PendingCount(q), Tag("queue", q))), description: "Decisions waiting for review, by queue: the escalated ones, and in queue audit the audit sample of trusted ones.");
        _meter.CreateObservableGauge("lpp_model_info", () => ModelInfo(models.Current), description: "The model in service.");
        live.Publish(_meter);
    }

    /// <summary>
    /// Adds <c>lpp_shadow_decisions_total</c>, for a server with a shadow model (<c>--shadow-model</c>): each decision
    /// it also made, by whether it decided as the serving model did, so a dashboard can watch the candidate's agreement
    /// live (<c>lpp monitor</c> has its estimated costs).
    /// </summary>
    public void PublishShadow() =>
        _meter.CreateObservableCounter("lpp_shadow_decisions_total", () => ShadowTags.Select((tag, i) => new Measurement<long>(Volatile.Read(ref _shadow[i]), tag)), description: "Decisions the shadow model (--shadow-model) also made, by result: agree (both trust or both escalate; over_capacity counts as the serving model's escalation), disagree, or unscored (a record it does not take).");

    /// <summary>
    /// The <c>lpp_shadow_decisions_total</c> cell of a decision: 0 agree, 1 disagree, 2 unscored (<paramref name="shadow"/>
    /// null). As in <c>lpp monitor</c>, the serving model trusts only when its reason is confident: an over_capacity
    /// item was its escalation, trusted for lack of reviewers.
    /// </summary>
    public static int ShadowResult(RoutingReason serving, RoutingReason? shadow) =>
        shadow is not { } s ? 2 : (serving == RoutingReason.Confident) == (s == RoutingReason.Confident) ? 0 : 1;

    /// <summary>How many cells <see cref="ShadowResult"/> counts into (for a batch's tally).</summary>
    public static int ShadowResultCount => ShadowTags.Length;

    /// <summary>Counts a decision the shadow model also made (<see cref="ShadowResult"/>).</summary>
    public void Shadowed(RoutingReason serving, RoutingReason? shadow) => Interlocked.Increment(ref _shadow[ShadowResult(serving, shadow)]);

    /// <summary>Counts a batch's shadow results, counted by <see cref="ShadowResult"/> into three cells.</summary>
    public void Shadowed(ReadOnlySpan<long> counts)
    {
        for (var i = 0; i < _shadow.Length; i++)
        {
            if (counts[i] > 0)
            {
                Interlocked.Add(ref _shadow[i], counts[i]);
            }
        }
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
        _latency.Record(System.Diagnostics.Stopwatch.GetElapsedTime(startTimestamp).TotalSeconds, EndpointTags[(int)endpoint]);

    public void ModelReloaded() => Interlocked.Increment(ref _reloads);

    public void ModelReloadRefused() => Interlocked.Increment(ref _reloadsRefused);

    public void AuditCommitted(int rows)
    {
        Interlocked.Increment(ref _commits);
        Interlocked.Add(ref _committedRows, rows);
    }

    public void AuditFailed() => Interlocked.Increment(ref _auditFailures);

    public void Dispose() => _meter.Dispose();

    private static KeyValuePair<string, object?> Tag(string name, string value) => new(name, value);

    private static Measurement<long> ModelInfo(ServedModel model) =>
        new(1, Tag("checksum", model.Checksum), Tag("tau", model.Model.Tau.ToString("R", CultureInfo.InvariantCulture)));

    /// <summary>Whether a decision of this reason was answered trust: confident, or an escalation over its queue's capacity.</summary>
    private static bool Trusted(RoutingReason reason) => reason is RoutingReason.Confident or RoutingReason.OverCapacity;

    private static string QueueOf(RoutingReason reason) => reason switch
    {
        RoutingReason.Confident or RoutingReason.OverCapacity => Queues.Auto,
        RoutingReason.AbstainEvidence => Queues.SeniorReview,
        RoutingReason.AbstainDefinition => Queues.PolicyReview,
        _ => Queues.Review,
    };

    private double EscalationRatio()
    {
        long total = 0, escalated = 0;
        foreach (var reason in Reasons)
        {
            var n = Volatile.Read(ref _decisions[(int)reason]);
            total += n;
            escalated += Trusted(reason) ? 0 : n;
        }

        return total == 0 ? 0 : (double)escalated / total;
    }
}
