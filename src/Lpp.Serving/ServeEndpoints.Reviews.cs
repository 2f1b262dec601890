using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Lpp.Serving;

/// <summary>
/// The reviews area (scope <c>review</c>, lookups any key): queues, claims with leases, reviews, and decisions by id.
/// A reviewer is who the API key says (<see cref="ApiKey.ActsFor"/>).
/// </summary>
internal sealed partial class ServeEndpoints
{
    private DecisionRebuilder? _rebuilder;

    public void MapReviewsApi(IEndpointRouteBuilder app)
    {
        app.MapGet("/v1/queues/{queue}", QueueAsync);
        app.MapPost("/v1/queues/{queue}/claim", ClaimAsync);
        app.MapPost("/v1/reviews", ReviewAsync);
        app.MapGet("/v1/decisions/{decision_id}", DecisionAsync);
    }

    public async Task QueueAsync(HttpContext context)
    {
        var start = Stopwatch.GetTimestamp();
        if (await AuthorizeAsync(context, ApiScope.Review).ConfigureAwait(false) is null)
        {
            return;
        }

        if (await QueueOfAsync(context).ConfigureAwait(false) is not { } queue)
        {
            return;
        }

        var limit = ServeDefaults.QueueLimit;
        if (context.Request.Query.TryGetValue("limit", out var text)
            && (!int.TryParse(text.ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit < 1 || limit > ServeDefaults.MaxQueueLimit))
        {
            await RejectAsync(context, 400, "invalid limit", $"limit must be a whole number from 1 to {ServeDefaults.MaxQueueLimit} (got '{text}')", "limit").ConfigureAwait(false);
            return;
        }

        var entries = store.Pending(queue, limit);
        var page = entries.Select(entry => (entry, (long?)null));
        await WriteQueuePageAsync(context, queue, store.PendingCount(queue), page).ConfigureAwait(false);
        metrics.Observe(ServeMetrics.Endpoint.Queue, start);
    }

    public async Task ClaimAsync(HttpContext context)
    {
        var start = Stopwatch.GetTimestamp();
        if (await AcceptAsync(context, ApiScope.Review).ConfigureAwait(false) is not { } accepted)
        {
            return;
        }

        using var body = accepted.Body;
        if (await QueueOfAsync(context).ConfigureAwait(false) is not { } queue)
        {
            return;
        }

        if (await JsonObjectAsync(context, body, "invalid claim", "a claim must be a JSON object {reviewer, limit, lease_seconds}").ConfigureAwait(false) is not { } document)
        {
            return;
        }

        ClaimRequest claim;
        using (document)
        {
            var root = document.RootElement;
            var reviewer = StringField(root, "reviewer");
            if (reviewer is null)
            {
                await RejectAsync(context, 400, "invalid claim", "reviewer must be a non-empty string", "reviewer").ConfigureAwait(false);
                return;
            }

            if (WholeField(root, "limit", ServeDefaults.QueueLimit, 1, ServeDefaults.MaxQueueLimit) is not { } limit)
            {
                await RejectAsync(context, 400, "invalid claim", $"limit must be a whole number from 1 to {ServeDefaults.MaxQueueLimit}", "limit").ConfigureAwait(false);
                return;
            }

            if (WholeField(root, "lease_seconds", ServeDefaults.LeaseSeconds, ServeDefaults.MinLeaseSeconds, ServeDefaults.MaxLeaseSeconds) is not { } lease)
            {
                await RejectAsync(context, 400, "invalid claim", $"lease_seconds must be a whole number from {ServeDefaults.MinLeaseSeconds} to {ServeDefaults.MaxLeaseSeconds}", "lease_seconds").ConfigureAwait(false);
                return;
            }

            if (!accepted.Caller.ActsFor(reviewer))
            {
                await RejectAsync(context, 403, "forbidden", $"key '{accepted.Caller.Name}' does not act for reviewer '{reviewer}'", "reviewer").ConfigureAwait(false);
                return;
            }

            var now = time.GetUtcNow().ToUnixTimeMilliseconds();
            claim = new ClaimRequest(queue, reviewer, limit, now, now + (lease * 1000L));
        }

        IReadOnlyList<ClaimedItem> items;
        try
        {
            items = await store.ClaimAsync(claim).ConfigureAwait(false);
        }
        catch (Exception e) when (IsStoreFailure(e))
        {
            await RejectAsync(context, 503, "audit store unavailable", "the claim could not be stored; nothing was leased").ConfigureAwait(false);
            return;
        }

        var page = items.Select(item => (item.Entry, (long?)item.LeaseExpiresMs));
        await WriteQueuePageAsync(context, queue, pending: null, page).ConfigureAwait(false);
        metrics.Observe(ServeMetrics.Endpoint.Queue, start);
    }

    public async Task ReviewAsync(HttpContext context)
    {
        var start = Stopwatch.GetTimestamp();
        if (await AcceptAsync(context, ApiScope.Review).ConfigureAwait(false) is not { } accepted)
        {
            return;
        }

        var caller = accepted.Caller;
        using var body = accepted.Body;
        if (await JsonObjectAsync(context, body, "invalid review", "a review must be a JSON object {decision_id, verdict, reviewer}").ConfigureAwait(false) is not { } document)
        {
            return;
        }

        string? decisionId, verdict, reviewer;
        using (document)
        {
            decisionId = StringField(document.RootElement, "decision_id");
            verdict = StringField(document.RootElement, "verdict");
            reviewer = StringField(document.RootElement, "reviewer");
        }

        var missing = decisionId is null ? "decision_id" : verdict is null ? "verdict" : reviewer is null ? "reviewer" : null;
        if (missing is not null)
        {
            await RejectAsync(context, 400, "invalid review", $"{missing} must be a non-empty string", missing).ConfigureAwait(false);
            return;
        }

        if (!caller.ActsFor(reviewer!))
        {
            await RejectAsync(context, 403, "forbidden", $"key '{caller.Name}' does not act for reviewer '{reviewer}'", "reviewer").ConfigureAwait(false);
            return;
        }

        var entry = store.Find(decisionId!);
        if (entry is null)
        {
            await RejectAsync(context, 404, "unknown decision", $"no decision has id '{decisionId}'", "decision_id").ConfigureAwait(false);
            return;
        }

        var reviewed = new DecisionRecordParser().Parse(entry.RecordJson);
        var labels = reviewed.Schema.Labels;
        if (!labels.Contains(verdict!))
        {
            await RejectAsync(context, 400, "invalid review", $"verdict '{verdict}' is not one of the record's labels [{string.Join(", ", labels)}]", "verdict").ConfigureAwait(false);
            return;
        }

        ReviewOutcome outcome;
        try
        {
            outcome = await store.ReviewAsync(new AuditReview(decisionId!, verdict!, reviewer!, caller.Name, time.GetUtcNow().ToUnixTimeMilliseconds())).ConfigureAwait(false);
        }
        catch (Exception e) when (IsStoreFailure(e))
        {
            await RejectAsync(context, 503, "audit store unavailable", "the review could not be stored; nothing was recorded").ConfigureAwait(false);
            return;
        }

        switch (outcome.Status)
        {
            case ReviewStatus.NotFound:
                await RejectAsync(context, 404, "unknown decision", $"no decision has id '{decisionId}'", "decision_id").ConfigureAwait(false);
                return;
            case ReviewStatus.AlreadyReviewed:
                await RejectAsync(context, 409, "already reviewed", $"decision '{decisionId}' was reviewed before by '{outcome.Stored!.Reviewer}' (verdict '{outcome.Stored.Verdict}')", "decision_id").ConfigureAwait(false);
                return;
            case ReviewStatus.LeasedToOther:
                await RejectAsync(context, 409, "leased to another reviewer", $"decision '{decisionId}' is leased to reviewer '{outcome.LeaseHolder}' until {AuditDecisionJson.Time(outcome.LeaseExpiresMs)}", "decision_id").ConfigureAwait(false);
                return;
        }

        var stored = outcome.Stored!;
        if (entry.Audited && outcome.Status == ReviewStatus.Recorded)
        {
            live.Reviewed(stored.Verdict != reviewed.Output.Outcome);
        }

        using var output = new PooledBufferWriter(256);
        var w = Writer(output);
        w.WriteStartObject();
        w.WriteString("decision_id"u8, decisionId);
        w.WriteString("id"u8, entry.RecordId);
        w.WriteString("queue"u8, entry.Queue);
        w.WriteString("verdict"u8, stored.Verdict);
        w.WriteString("reviewer"u8, stored.Reviewer);
        w.WriteString("reviewed"u8, AuditDecisionJson.Time(stored.ReviewedMs));
        w.WriteString("status"u8, outcome.Status == ReviewStatus.Repeated ? "already recorded"u8 : "recorded"u8);
        w.WriteEndObject();
        w.Flush();
        await WriteAsync(context, Json, output.WrittenMemory).ConfigureAwait(false);
        metrics.Observe(ServeMetrics.Endpoint.Review, start);
    }

    public async Task DecisionAsync(HttpContext context)
    {
        var start = Stopwatch.GetTimestamp();
        if (await AuthorizeAsync(context, ApiScope.None).ConfigureAwait(false) is null)
        {
            return;
        }

        var decisionId = context.Request.RouteValues["decision_id"] as string ?? string.Empty;
        if (store.Find(decisionId) is not { } entry)
        {
            await RejectAsync(context, 404, "unknown decision", $"no decision has id '{decisionId}'", "decision_id").ConfigureAwait(false);
            return;
        }

        _rebuilder ??= new DecisionRebuilder(store);
        using var output = new PooledBufferWriter(4096);
        var w = Writer(output);
        AuditDecisionJson.Write(w, entry, _rebuilder.Json(entry), withRecord: false);
        w.Flush();
        await WriteAsync(context, Json, output.WrittenMemory).ConfigureAwait(false);
        metrics.Observe(ServeMetrics.Endpoint.Queue, start);
    }

    /// <summary>
    /// A page of a queue, <c>{"queue", ["pending",] "items": [...]}</c>: each item as <see cref="WriteItem"/> writes it,
    /// plus <c>lease_expires</c> for items leased by a claim.
    /// </summary>
    private async Task WriteQueuePageAsync(HttpContext context, string queue, long? pending, IEnumerable<(AuditEntry Entry, long? LeaseExpiresMs)> items)
    {
        using var output = new PooledBufferWriter(4096);
        var w = Writer(output);
        w.WriteStartObject();
        w.WriteString("queue"u8, queue);
        if (pending is { } count)
        {
            w.WriteNumber("pending"u8, count);
        }

        w.WriteStartArray("items"u8);
        foreach (var (entry, leaseExpiresMs) in items)
        {
            w.WriteStartObject();
            WriteItem(w, entry);
            if (leaseExpiresMs is { } expires)
            {
                w.WriteString("lease_expires"u8, AuditDecisionJson.Time(expires));
            }

            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
        w.Flush();
        await WriteAsync(context, Json, output.WrittenMemory).ConfigureAwait(false);
    }

    private static void WriteItem(Utf8JsonWriter w, AuditEntry entry)
    {
        w.WriteString("decision_id"u8, entry.DecisionId);
        w.WriteString("id"u8, entry.RecordId);
        w.WriteString("reason"u8, entry.Reason);
        w.WriteNumber("score"u8, entry.Score);
        w.WriteNumber("cost"u8, entry.Cost);
        w.WriteString("model"u8, entry.Model);
        w.WriteString("created"u8, AuditDecisionJson.Time(entry.CreatedMs));
        w.WritePropertyName("record"u8);
        w.WriteRawValue(entry.RecordJson, skipInputValidation: true);
    }

    private static string? StringField(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text ? text : null;

    /// <summary>A whole number field within [min, max], <paramref name="absent"/> when the field is missing; null when it is invalid.</summary>
    private static int? WholeField(JsonElement element, string name, int absent, int min, int max) =>
        !element.TryGetProperty(name, out var value) ? absent
        : value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number) && number >= min && number <= max ? number
        : null;

    private async ValueTask<string?> QueueOfAsync(HttpContext context)
    {
        var queue = context.Request.RouteValues["queue"] as string ?? string.Empty;
        if (Queues.Reviewable.Contains(queue))
        {
            return queue;
        }

        await RejectAsync(context, 400, "unknown queue", $"queue '{queue}' is not one of {string.Join(", ", Queues.Reviewable)}", "queue").ConfigureAwait(false);
        return null;
    }

    private async ValueTask<JsonDocument?> JsonObjectAsync(HttpContext context, RequestBody body, string title, string shape)
    {
        try
        {
            var document = JsonDocument.Parse(body.Memory);
            if (document.RootElement.ValueKind == JsonValueKind.Object)
            {
                return document;
            }

            document.Dispose();
            await RejectAsync(context, 400, title, shape, "$").ConfigureAwait(false);
        }
        catch (JsonException e)
        {
            // JsonDocument's message names the line and byte position, and no path (only JsonSerializer adds one).
            await RejectAsync(context, 400, title, $"invalid JSON: {e.Message}", "$").ConfigureAwait(false);
        }

        return null;
    }
}
