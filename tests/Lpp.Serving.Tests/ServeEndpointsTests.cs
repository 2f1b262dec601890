using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;

namespace Lpp.Serving.Tests;

/// <summary>
/// The handlers called directly, on a <see cref="DefaultHttpContext"/> (no server, no ../shared): what they write after
/// a refusal, on a closed audit store, and on a thread that has not answered before. Here an exception a handler throws
/// reaches the test, where under Kestrel it would only be logged once the response had started.
/// </summary>
public sealed class ServeEndpointsTests
{
    private const string UnknownId = "0190f0e2a1b27c3d8e4f5a6b7c8d9e0f";

    public static TheoryData<string, int, string> Refusals => new()
    {
        // handler and the request it gets, status, title
        { "model, no key", 401, "unauthorized" },
        { "decision, no key", 401, "unauthorized" },
        { "queue, no key", 401, "unauthorized" },
        { "route, no key", 401, "unauthorized" },
        { "route, unknown key, no content type", 401, "unauthorized" },
        { "route, body over the limit", 413, "body too large" },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task Handler_RequestRefused_AnswersTheProblemAloneAndReturns(string call, int status, string title)
    {
        // Given handlers with API keys and a 1,024-byte body limit
        await using var setup = await Setup.StartAsync(ServeTestData.KeysFile);
        var record = Encoding.UTF8.GetBytes(ServeTestData.HandRecords[0]);
        var context = call switch
        {
            "route, no key" => Request(null, record),
            "route, unknown key, no content type" => Request("not-a-key", record, contentType: null),
            "route, body over the limit" => Request(ServeTestData.AdminKey, new byte[2000]),
            _ => Request(null, null),
        };
        context.Request.RouteValues["decision_id"] = UnknownId;
        context.Request.RouteValues["queue"] = Queues.Review;

        // When the handler runs (it must return normally)
        var handle = call switch
        {
            "model, no key" => setup.Endpoints.ModelAsync(context),
            "decision, no key" => setup.Endpoints.DecisionAsync(context),
            "queue, no key" => setup.Endpoints.QueueAsync(context),
            _ => setup.Endpoints.RouteAsync(context),
        };
        await handle;

        // Then the response is that one problem and nothing after it
        Assert.Equal(status, context.Response.StatusCode);
        Assert.Equal("application/problem+json", context.Response.ContentType);
        var body = ((MemoryStream)context.Response.Body).ToArray();
        Assert.Equal(body.Length, context.Response.ContentLength);
        using var problem = JsonDocument.Parse(body);
        Assert.Equal(title, problem.RootElement.GetProperty("title").GetString());
        Assert.Equal(status, problem.RootElement.GetProperty("status").GetInt32());
    }

    [Fact]
    public async Task RouteAsync_AuditStoreClosed_503()
    {
        // Given handlers whose audit store has been closed (as while the server stops)
        await using var setup = await Setup.StartAsync(keysFile: null);
        await setup.Store.DisposeAsync();
        var context = Request(null, Encoding.UTF8.GetBytes(ServeTestData.HandRecords[0]));

        // When a record is routed
        await setup.Endpoints.RouteAsync(context);

        // Then 503: the decision is not answered
        Assert.Equal(503, context.Response.StatusCode);
        using var problem = JsonDocument.Parse(((MemoryStream)context.Response.Body).ToArray());
        Assert.Equal("audit store unavailable", problem.RootElement.GetProperty("title").GetString());
    }

    [Fact]
    public async Task RouteAsync_FirstRequestOnAThread_AnsweredWithTheDecision()
    {
        // Given handlers, and a thread that has never answered a request (its cached JSON writer not yet made)
        await using var setup = await Setup.StartAsync(keysFile: null);
        var context = Request(null, Encoding.UTF8.GetBytes(ServeTestData.HandRecords[0]));
        Task? routed = null;
        var thread = new Thread(() => routed = setup.Endpoints.RouteAsync(context));

        // When a record is routed, starting on that thread
        thread.Start();
        thread.Join();
        await routed!;

        // Then the decision is answered
        Assert.Equal(200, context.Response.StatusCode);
        using var decision = JsonDocument.Parse(((MemoryStream)context.Response.Body).ToArray());
        Assert.Equal("hand/1", decision.RootElement.GetProperty("id").GetString());
    }

    private static DefaultHttpContext Request(string? key, byte[]? body, string? contentType = "application/json")
    {
        var context = new DefaultHttpContext();
        context.Request.Method = body is null ? "GET" : "POST";
        if (key is not null)
        {
            context.Request.Headers.Authorization = "Bearer " + key;
        }

        if (body is not null)
        {
            context.Request.ContentType = contentType;
            context.Request.ContentLength = body.Length;
            context.Request.Body = new MemoryStream(body);
        }

        context.Response.Body = new MemoryStream();
        return context;
    }

    /// <summary>The handlers over the hand model and a new SQLite audit store, with a 1,024-byte body limit.</summary>
    private sealed class Setup(TempDir dir, ModelSlot models, ServeMetrics metrics, IAuditStore store, ServeEndpoints endpoints) : IAsyncDisposable
    {
        public IAuditStore Store { get; } = store;

        public ServeEndpoints Endpoints { get; } = endpoints;

        public static async Task<Setup> StartAsync(string? keysFile)
        {
            var dir = new TempDir();
            var model = dir.File("model.json");
            File.Copy(ServeTestData.HandModel, model);
            var options = new ServeOptions { ModelPath = model, DatabasePath = dir.File("audit.db"), MaxBodyBytes = 1024 };
            var time = TimeProvider.System;
            var metrics = new ServeMetrics();
            var models = new ModelSlot(model, time, NullLogger.Instance, metrics);
            var store = await AuditStores.OpenAsync(AuditStoreKind.Sqlite, options.DatabasePath, null, metrics);
            var keys = keysFile is null ? null : ApiKeys.Load(keysFile);
            var endpoints = new ServeEndpoints(options, models, store, keys, new KeyRateLimiter(0, 1, time), metrics, time, new LiveMonitor(time));
            return new Setup(dir, models, metrics, store, endpoints);
        }

        public async ValueTask DisposeAsync()
        {
            await Store.DisposeAsync();
            models.Dispose();
            metrics.Dispose();
            dir.Dispose();
        }
    }
}
