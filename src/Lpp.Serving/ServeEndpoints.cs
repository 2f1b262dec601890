using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace Lpp.Serving;

/// <summary>
/// The request handlers of <c>lpp serve</c>. The routing hot path reads the body into a pooled array, parses it with
/// this thread's parser, routes it, writes the decision with this thread's <see cref="Utf8JsonWriter"/> into a pooled
/// buffer, hands both byte ranges to the audit store and answers once the store has committed them. With a shadow
/// model (<c>--shadow-model</c>) each decision is also scored by it, from the same features when their top-k agree,
/// and its score and reason go to the audit store with the decision, not to the client.
/// </summary>
internal sealed partial class ServeEndpoints(
    ServeOptions options,
    ModelSlot models,
    IAuditStore store,
    ApiKeys? keys,
    KeyRateLimiter limiter,
    ServeMetrics metrics,
    TimeProvider time,
    LiveMonitor live,
    CapacityGate? capacity = null,
    ShadowModel? shadow = null)
{
    private const string Json = "application/json";
    private const string JsonLines = "application/x-ndjson";

    [ThreadStatic]
    private static DecisionRecordParser? t_parser;

    [ThreadStatic]
    private static Utf8JsonWriter? t_writer;

    private static DecisionRecordParser Parser => t_parser ??= new DecisionRecordParser();

    public async Task RouteAsync(HttpContext context)
    {
        var start = Stopwatch.GetTimestamp();
        if (await AcceptAsync(context, ApiScope.Route).ConfigureAwait(false) is not { } accepted)
        {
            return;
        }

        var caller = accepted.Caller;
        using var body = accepted.Body;

        var served = models.Current;
        DecisionRecord record;
        try
        {
            record = Parser.Parse(body.Memory.Span);
        }
        catch (RecordFormatException e)
        {
            await RejectAsync(context, 400, "invalid record", e.Message, Problem.FieldOf(e.Message)).ConfigureAwait(false);
            return;
        }

        if (Unfit(served, record) is { } mismatch)
        {
            await RejectAsync(context, 422, "record not fit for this model", Explain(mismatch), mismatch.Field).ConfigureAwait(false);
            return;
        }

        Span<double> features = stackalloc double[FeatureSchema.Count];
        served.Extractor.Extract(record, features);
        var decision = served.Router.Route(record, features);
        var shadowScore = double.NaN;
        RoutingReason? shadowReason = null;
        if (shadow is not null)
        {
            Span<double> scratch = stackalloc double[FeatureSchema.Count];
            shadowReason = shadow.Decide(record, served, features, scratch, out shadowScore);
        }

        decision = capacity?.Apply(decision, served.Model.Cost, time.GetUtcNow().ToUnixTimeMilliseconds()) ?? decision;
        var tally = live.Begin(served);
        tally?.Add(decision.Score, features);
        var decisionId = DecisionIds.New(time.GetUtcNow());
        var sampled = decision.Trust && AuditSampling.Selected(decisionId, options.AuditRate);
        using var output = new PooledBufferWriter(1024);
        var writer = Writer(output);
        ServedDecisionJson.Write(writer, decision, decisionId, served.ChecksumJson, -1, sampled);
        writer.Flush();
        AuditDecision[] audit = [Audit(decision, served, .., -1, sampled) with { ShadowReason = shadowReason, ShadowScore = shadowScore }];
        if (!await AppendAsync(context, new AuditRequest(decisionId, served, caller.Name, time.GetUtcNow().ToUnixTimeMilliseconds(), body.Memory, audit, 1, options.AuditRate, shadow?.Served)).ConfigureAwait(false))
        {
            return;
        }

        metrics.Decided(decision.Reason);
        if (shadow is not null)
        {
            metrics.Shadowed(decision.Reason, shadowReason);
        }

        live.Merge(tally);
        output.Write((byte)'\n');
        await WriteAsync(context, Json, output.WrittenMemory).ConfigureAwait(false);
        metrics.Observe(ServeMetrics.Endpoint.Route, start);
    }

    public async Task RouteBatchAsync(HttpContext context)
    {
        var start = Stopwatch.GetTimestamp();
        if (await AcceptAsync(context, ApiScope.Route, jsonLines: true, charge: false).ConfigureAwait(false) is not { } accepted)
        {
            return;
        }

        var caller = accepted.Caller;
        using var body = accepted.Body;

        var items = new List<Range>();
        if (BatchBody.Split(body.Memory.Span, items) is { } malformed)
        {
            await RejectAsync(context, 400, "invalid batch", malformed, "$").ConfigureAwait(false);
            return;
        }

        if (items.Count == 0)
        {
            await RejectAsync(context, 400, "invalid batch", "the batch holds no records", "$").ConfigureAwait(false);
            return;
        }

        if (items.Count > options.MaxBatchRecords)
        {
            await RejectAsync(context, 413, "batch too large", $"the batch holds {items.Count} records; at most {options.MaxBatchRecords} are allowed", "$").ConfigureAwait(false);
            return;
        }

        // The rate limit counts a batch's records, not the request.
        if (!await ChargeAsync(context, caller, items.Count).ConfigureAwait(false))
        {
            return;
        }

        var served = models.Current;
        var firstId = DecisionIds.New(time.GetUtcNow());
        var audit = ArrayPool<AuditDecision>.Shared.Rent(items.Count);
        var reasons = ArrayPool<RoutingReason>.Shared.Rent(items.Count);
        var errors = new List<(int Index, string Field, string Error)>();
        using var output = new PooledBufferWriter(Math.Min(items.Count * 600, 1 << 24));
        var count = 0;
        var tally = live.Begin(served);
        var features = new double[FeatureSchema.Count];
        var scratch = shadow is null ? null : new double[FeatureSchema.Count];
        var shadowResults = shadow is null ? null : new long[ServeMetrics.ShadowResultCount];
        var nowMs = time.GetUtcNow().ToUnixTimeMilliseconds();
        try
        {
            var writer = Writer(output);
            writer.WriteStartObject();
            writer.WriteString("model"u8, served.Checksum);
            writer.WriteStartArray("decisions"u8);
            var parser = Parser;
            for (var i = 0; i < items.Count; i++)
            {
                DecisionRecord record;
                try
                {
                    record = parser.Parse(body.Memory.Span[items[i]]);
                }
                catch (RecordFormatException e)
                {
                    errors.Add((i, Problem.FieldOf(e.Message), e.Message));
                    continue;
                }

                if (Unfit(served, record) is { } mismatch)
                {
                    errors.Add((i, mismatch.Field, Explain(mismatch)));
                    continue;
                }

                served.Extractor.Extract(record, features);
                var decision = served.Router.Route(record, features);
                var shadowScore = double.NaN;
                var shadowReason = shadow?.Decide(record, served, features, scratch, out shadowScore);
                decision = capacity?.Apply(decision, served.Model.Cost, nowMs) ?? decision;
                tally?.Add(decision.Score, features);
                var decisionId = DecisionIds.Nth(firstId, count);
                var sampled = decision.Trust && AuditSampling.Selected(decisionId, options.AuditRate);
                ServedDecisionJson.Write(writer, decision, decisionId, served.ChecksumJson, i, sampled);
                reasons[count] = decision.Reason;
                if (shadowResults is not null)
                {
                    shadowResults[ServeMetrics.ShadowResult(decision.Reason, shadowReason)]++;
                }

                audit[count++] = Audit(decision, served, items[i], i, sampled) with { ShadowReason = shadowReason, ShadowScore = shadowScore };
            }

            writer.WriteEndArray();
            writer.WriteStartArray("rejected"u8);
            foreach (var (index, field, error) in errors)
            {
                writer.WriteStartObject();
                writer.WriteNumber("index"u8, index);
                writer.WriteString("field"u8, field);
                writer.WriteString("error"u8, error);
                writer.WriteEndObject();
                metrics.RejectedRecord();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
            writer.Flush();
            if (count > 0 && !await AppendAsync(context, new AuditRequest(firstId, served, caller.Name, time.GetUtcNow().ToUnixTimeMilliseconds(), body.Memory, audit, count, options.AuditRate, shadow?.Served)).ConfigureAwait(false))
            {
                return;
            }

            metrics.Decided(reasons.AsSpan(0, count));
            if (shadowResults is not null)
            {
                metrics.Shadowed(shadowResults);
            }

            live.Merge(tally);

            output.Write((byte)'\n');
            await WriteAsync(context, Json, output.WrittenMemory).ConfigureAwait(false);
            metrics.Observe(ServeMetrics.Endpoint.Batch, start);
        }
        finally
        {
            ArrayPool<AuditDecision>.Shared.Return(audit, clearArray: true);
            ArrayPool<RoutingReason>.Shared.Return(reasons);
        }
    }

    public async Task ModelAsync(HttpContext context)
    {
        var start = Stopwatch.GetTimestamp();
        if (await AuthorizeAsync(context, ApiScope.None).ConfigureAwait(false) is null)
        {
            return;
        }

        await WriteModelCardAsync(context, models.Current, shadow).ConfigureAwait(false);
        metrics.Observe(ServeMetrics.Endpoint.Model, start);
    }

    public async Task ReplaceModelAsync(HttpContext context)
    {
        var start = Stopwatch.GetTimestamp();
        if (await AcceptAsync(context, ApiScope.Admin).ConfigureAwait(false) is not { } accepted)
        {
            return;
        }

        using var body = accepted.Body;

        ServedModel served;
        string? error;
        try
        {
            (served, error) = await models.ReplaceAsync(body.Memory).ConfigureAwait(false);
        }
        catch (Exception e) when (IsStoreFailure(e))
        {
            await RejectAsync(context, 503, "audit store unavailable", "the model could not be stored for the other servers, so it is not served; try again").ConfigureAwait(false);
            return;
        }

        if (error is not null)
        {
            await RejectAsync(context, 400, "model refused", $"{error}; still serving {served.Checksum}", "$").ConfigureAwait(false);
            return;
        }

        await WriteModelCardAsync(context, served, shadow).ConfigureAwait(false);
        metrics.Observe(ServeMetrics.Endpoint.Admin, start);
    }

    /// <summary>A store that cannot take a write right now (closed, or its database failing): the request gets 503.</summary>
    private static bool IsStoreFailure(Exception e) => e is Microsoft.Data.Sqlite.SqliteException or Npgsql.NpgsqlException or InvalidOperationException or TimeoutException;

    private static Utf8JsonWriter Writer(PooledBufferWriter output)
    {
        if (t_writer is null)
        {
            t_writer = new Utf8JsonWriter(output, RoutingDecisionJson.WriterOptions);
        }
        else
        {
            t_writer.Reset(output);
        }

        return t_writer;
    }

    private static async Task WriteAsync(HttpContext context, string contentType, ReadOnlyMemory<byte> body)
    {
        context.Response.ContentType = contentType;
        context.Response.ContentLength = body.Length;
        await context.Response.Body.WriteAsync(body).ConfigureAwait(false);
    }

    private static async Task WriteModelCardAsync(HttpContext context, ServedModel served, ShadowModel? shadow)
    {
        using var output = new PooledBufferWriter(4096);
        var w = Writer(output);
        ModelCard.Write(w, served, shadow?.Served);
        w.Flush();
        await WriteAsync(context, Json, output.WrittenMemory).ConfigureAwait(false);
    }

    private static AuditDecision Audit(RoutingDecision decision, ServedModel served, Range record, int index, bool sampled) => new(
        decision.Reason,
        decision.Queue,
        decision.Score,
        (decision.Costs ?? served.Model.Cost).CError * (1 - decision.Score),
        record,
        index,
        sampled);

    private async ValueTask<bool> AppendAsync(HttpContext context, AuditRequest request)
    {
        try
        {
            await store.AppendAsync(request).ConfigureAwait(false);
            return true;
        }
        catch (Exception e) when (IsStoreFailure(e))
        {
            await RejectAsync(context, 503, "audit store unavailable", "the decision could not be stored, so it is not answered; try again").ConfigureAwait(false);
            return false;
        }
    }

    /// <summary>
    /// The caller, if allowed <paramref name="scope"/>, and the body, if JSON (or JSON Lines where
    /// <paramref name="jsonLines"/>), within the size limit and valid UTF-8; null when a rejection was sent.
    /// </summary>
    private async ValueTask<(ApiKey Caller, RequestBody Body)?> AcceptAsync(HttpContext context, ApiScope scope, bool jsonLines = false, bool charge = true)
    {
        var caller = await AuthorizeAsync(context, scope, charge).ConfigureAwait(false);
        if (caller is null)
        {
            return null;
        }

        var type = Microsoft.Net.Http.Headers.MediaTypeHeaderValue.TryParse(context.Request.ContentType, out var parsed) ? parsed.MediaType.Value : null;
        if (!string.Equals(type, Json, StringComparison.OrdinalIgnoreCase) && !(jsonLines && string.Equals(type, JsonLines, StringComparison.OrdinalIgnoreCase)))
        {
            await RejectAsync(context, 415, "unsupported media type", $"send Content-Type: {Json}{(jsonLines ? $" or {JsonLines}" : string.Empty)} (got {(context.Request.ContentType is { Length: > 0 } given ? $"'{given}'" : "none")})", "Content-Type").ConfigureAwait(false);
            return null;
        }

        var body = await ReadBodyAsync(context).ConfigureAwait(false);
        if (body is null)
        {
            return null;
        }

        if (InvalidUtf8At(body.Memory.Span) is { } offset)
        {
            body.Dispose();
            await RejectAsync(context, 400, "invalid UTF-8", $"the body is not valid UTF-8 at byte offset {offset}", "$").ConfigureAwait(false);
            return null;
        }

        return (caller, body);
    }

    /// <summary>The offset of the first byte that is not part of valid UTF-8, or null when all of it is.</summary>
    private static int? InvalidUtf8At(ReadOnlySpan<byte> body)
    {
        if (System.Text.Unicode.Utf8.IsValid(body))
        {
            return null;
        }

        var at = 0;
        while (at < body.Length)
        {
            if (System.Text.Rune.DecodeFromUtf8(body[at..], out _, out var consumed) != System.Buffers.OperationStatus.Done)
            {
                return at;
            }

            at += consumed;
        }

        return at;
    }

    private async ValueTask<RequestBody?> ReadBodyAsync(HttpContext context)
    {
        var body = await RequestBody.ReadAsync(context.Request, options.MaxBodyBytes).ConfigureAwait(false);
        if (body is null)
        {
            context.Response.Headers.Connection = "close";
            await RejectAsync(context, 413, "body too large", $"the request body is over the limit of {options.MaxBodyBytes} bytes", "$").ConfigureAwait(false);
        }

        return body;
    }

    private async ValueTask<ApiKey?> AuthorizeAsync(HttpContext context, ApiScope scope, bool charge = true)
    {
        var caller = ApiKey.Anonymous;
        if (keys is null)
        {
            if ((caller.Scopes & scope) != scope)
            {
                await RejectAsync(context, 403, "forbidden", $"the {scope.ToString().ToLowerInvariant()} scope needs an API key: start lpp serve with --api-keys", "Authorization").ConfigureAwait(false);
                return null;
            }
        }
        else
        {
            var header = context.Request.Headers.Authorization;
            var key = Bearer(header);
            caller = key is null ? null : keys.Find(key);
            if (caller is null)
            {
                context.Response.Headers.WWWAuthenticate = "Bearer";
                await RejectAsync(context, 401, "unauthorized", key is null ? "send an API key as Authorization: Bearer <key>" : "the API key is not known", "Authorization").ConfigureAwait(false);
                return null;
            }

            if ((caller.Scopes & scope) != scope)
            {
                await RejectAsync(context, 403, "forbidden", $"key '{caller.Name}' lacks the {scope.ToString().ToLowerInvariant()} scope", "Authorization").ConfigureAwait(false);
                return null;
            }
        }

        return !charge || await ChargeAsync(context, caller, 1).ConfigureAwait(false) ? caller : null;
    }

    /// <summary>Takes <paramref name="cost"/> from the caller's rate limit; false when a 429 was sent.</summary>
    private async ValueTask<bool> ChargeAsync(HttpContext context, ApiKey caller, int cost)
    {
        if (limiter.TryAcquire(caller.Name, cost, out var retryAfter))
        {
            return true;
        }

        var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
        context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        await RejectAsync(context, 429, "too many requests", $"key '{caller.Name}' is over its rate limit{(cost > 1 ? $" ({cost} records)" : string.Empty)}; retry after {seconds} s").ConfigureAwait(false);
        return false;
    }

    private static string? Bearer(StringValues header)
    {
        var text = header.ToString();
        return text.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) && text.Length > 7 ? text[7..].Trim() : null;
    }

    private static string Explain(ShapeMismatch mismatch) => $"{mismatch.Reason} (lpp serve --allow-shape-mismatch scores it anyway)";

    /// <summary>
    /// Why the served model was not trained for a record (null when it was, or when --allow-shape-mismatch is given);
    /// a <c>source.model</c> the training data did not have is only counted, as <c>lpp route</c> warns and goes on.
    /// </summary>
    private ShapeMismatch? Unfit(ServedModel served, DecisionRecord record)
    {
        var shape = served.Model.ExpectedShape;
        if (shape.UnseenModel(record) is not null)
        {
            metrics.UnseenSourceModel();
        }

        return options.AllowShapeMismatch ? null : shape.Check(record);
    }

    private Task RejectAsync(HttpContext context, int status, string title, string detail, string? field = null)
    {
        metrics.Rejected(status);
        return Problem.WriteAsync(context, status, title, detail, field);
    }
}
