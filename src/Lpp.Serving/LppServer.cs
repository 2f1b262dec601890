using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Lpp.Serving;

/// <summary>
/// The <c>lpp serve</c> host: Kestrel, the endpoints, the model slot and the audit store, started together and
/// stopped together (the audit writer drains before the database closes).
/// </summary>
public sealed class LppServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ModelSlot _models;
    private readonly IAuditStore _store;
    private readonly ModelRollout _rollout;
    private readonly ServeMetrics _metrics;

    private LppServer(WebApplication app, ModelSlot models, IAuditStore store, ModelRollout rollout, ServeMetrics metrics, IReadOnlyList<string> urls)
    {
        _app = app;
        _metrics = metrics;
        _models = models;
        _store = store;
        _rollout = rollout;
        Urls = urls;
    }

    /// <summary>The addresses it listens on (with the real port when 0 was asked for).</summary>
    public IReadOnlyList<string> Urls { get; }

    /// <summary>Every mapped route as "METHOD /pattern" (tests check each is covered).</summary>
    internal IReadOnlyList<string> Routes =>
        [.. _app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .SelectMany(e => (e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["*"]).Select(m => $"{m} {e.RoutePattern.RawText}"))];

    /// <summary>The model in service.</summary>
    internal ServedModel Model => _models.Current;

    /// <summary>The model slot (tests look at the model file directly).</summary>
    internal ModelSlot Models => _models;

    /// <summary>The model rollout (tests poll the store directly).</summary>
    internal ModelRollout Rollout => _rollout;

    /// <summary>Checks the options, loads the model and keys, opens the audit store and starts listening.</summary>
    /// <exception cref="ServeException">An option, the model, the keys file or the database is unusable.</exception>
    public static async Task<LppServer> StartAsync(ServeOptions options, TimeProvider time, bool consoleLog = true)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        try
        {
            options.Validate();
        }
        catch (ArgumentOutOfRangeException e)
        {
            throw new ServeException(e.Message.Split(" (Parameter", 2)[0].Split(Environment.NewLine, 2)[0], e);
        }

        var costs = LoadCosts(options.CostsPath);
        var keys = options.ApiKeysPath is null ? null : ApiKeys.Load(options.ApiKeysPath);
        var addresses = options.Urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (keys is null && addresses.FirstOrDefault(a => !IsLoopback(a)) is { } open)
        {
            throw new ServeException($"--urls {open}: without --api-keys the API is open to any caller, so it listens on loopback only (127.0.0.1, [::1] or localhost); give --api-keys KEYS.json to listen there");
        }

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        if (consoleLog)
        {
            builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
            builder.Logging.AddFilter("Microsoft", LogLevel.Warning);
            // The generic host logs a failed start (a port in use) with Kestrel's whole stack trace before rethrowing it;
            // the rethrown exception is reported as one line below, and this host runs no background services whose
            // faults that category would otherwise carry.
            builder.Logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.None);
            builder.Services.Configure<Microsoft.Extensions.Logging.Console.ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        }

        builder.WebHost.UseUrls(addresses);
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            // The handlers enforce --max-body-bytes themselves (413 and close the connection, without reading the rest).
            k.Limits.MaxRequestBodySize = null;
            k.Limits.MaxConcurrentConnections = ServeDefaults.MaxConnections;
            k.Limits.MaxConcurrentUpgradedConnections = ServeDefaults.MaxConnections;
            k.Limits.RequestHeadersTimeout = TimeSpan.FromSeconds(ServeDefaults.RequestHeadersTimeoutSeconds);
        });
        builder.Services.AddServeOpenApi();
        var metrics = new ServeMetrics();
        metrics.AddExporter(builder.Services);
        var app = builder.Build();
        var log = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("lpp.serve");
        ModelSlot models;
        ShadowModel? shadow;
        try
        {
            models = new ModelSlot(options.ModelPath, time, log, metrics, costs);
        }
        catch
        {
            metrics.Dispose();
            throw;
        }

        try
        {
            shadow = options.ShadowModelPath is null ? null : ShadowModel.Load(options.ShadowModelPath, models.Current, time.GetUtcNow(), costs, options.AllowShapeMismatch);
        }
        catch
        {
            models.Dispose();
            metrics.Dispose();
            throw;
        }

        IAuditStore store;
        ModelRollout rollout;
        try
        {
            store = await AuditStores.OpenAsync(options.Store, options.DatabasePath, options.PostgresConnection, metrics, options.Durability).ConfigureAwait(false);
        }
        catch
        {
            models.Dispose();
            metrics.Dispose();
            throw;
        }

        try
        {
            rollout = await ModelRollout.StartAsync(models, store, time, log).ConfigureAwait(false);
        }
        catch
        {
            await store.DisposeAsync().ConfigureAwait(false);
            models.Dispose();
            metrics.Dispose();
            throw;
        }

        try
        {
            var live = new LiveMonitor(time);
            var gate = options.Capacity is null ? null : new CapacityGate(options.Capacity, time.GetUtcNow().ToUnixTimeMilliseconds());
            metrics.Publish(store, models, live);
            if (shadow is not null)
            {
                metrics.PublishShadow();
            }

            gate?.Publish(metrics.Meter, time);
            var endpoints = new ServeEndpoints(options, models, store, keys, new KeyRateLimiter(options.RateLimit, options.EffectiveBurst, time), metrics, time, live, gate, shadow);
            app.Use(async (context, next) =>
            {
                try
                {
                    await next(context).ConfigureAwait(false);
                }
                catch (BadHttpRequestException e) when (!context.Response.HasStarted)
                {
                    metrics.Rejected(e.StatusCode);
                    await Problem.WriteAsync(context, e.StatusCode, e.StatusCode == 413 ? "body too large" : "bad request", e.Message, "$").ConfigureAwait(false);
                }
                catch (Exception e) when (!context.Response.HasStarted && e is not OperationCanceledException)
                {
                    log.LogError(e, "request {Path} failed", context.Request.Path);
                    metrics.Rejected(500);
                    await Problem.WriteAsync(context, 500, "internal error", "the server failed on this request; the error is in its log").ConfigureAwait(false);
                }
            });
            app.MapPost("/v1/route", endpoints.RouteAsync);
            app.MapPost("/v1/route/batch", endpoints.RouteBatchAsync);
            endpoints.MapReviewsApi(app);
            app.MapGet("/v1/model", endpoints.ModelAsync);
            app.MapPost("/v1/admin/model", endpoints.ReplaceModelAsync);
            app.MapGet("/healthz", (HttpContext c) => c.Response.WriteAsync("ok\n"));
            app.MapGet("/readyz", async (HttpContext c) =>
            {
                // Ready when decisions can be stored: routing without an audit row would break the contract.
                if (store.Ready)
                {
                    await c.Response.WriteAsync("ready\n").ConfigureAwait(false);
                    return;
                }

                c.Response.StatusCode = 503;
                await c.Response.WriteAsync("not ready: the audit store takes no commits (its writer stopped, or its last commits failed)\n").ConfigureAwait(false);
            });
            ServeMetrics.MapExporter(app);
            app.MapOpenApi(ServeOpenApi.DocumentRoute);
            await app.StartAsync().ConfigureAwait(false);
        }
        catch (IOException e)
        {
            await rollout.DisposeAsync().ConfigureAwait(false);
            await store.DisposeAsync().ConfigureAwait(false);
            models.Dispose();
            metrics.Dispose();
            throw new ServeException($"--urls {options.Urls}: cannot listen ({e.Message})");
        }

        if (options.WatchModel)
        {
            models.Watch();
        }

        var urls = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.ToList() ?? [];
        if (models.Current.CostsFromServe)
        {
            log.LogInformation("costs by severity from --costs {Path} replace the model file's: the model served is the file with them, checksum {Checksum}", options.CostsPath, models.Current.Checksum);
        }

        if (shadow is not null)
        {
            log.LogInformation("shadow model {Shadow} scores every decision beside the serving model; its score and decision are stored with each decision for lpp monitor, the answers stay the serving model's. It is fixed for this process's life: a new serving model leaves it in place", shadow.Checksum);
        }

        if (options.Capacity is { } capacity)
        {
            log.LogInformation("review capacity {Capacity} over the trailing hour of this server: escalations beyond it with the smallest expected saving are trusted instead (over_capacity)", capacity);
        }

        if (models.Current.Model is { SeverityCosts: not null, Policy.IsLearned: false } simple)
        {
            log.LogInformation("the model deploys {Policy} at its own costs; items with other costs are decided by the learned score at the threshold of their costs", simple.Policy.Name);
        }

        log.LogInformation("serving model {Checksum} on {Urls}, audit log {Store}, {Keys}", models.Current.Checksum, string.Join(", ", urls), options.Store == AuditStoreKind.Postgres ? $"PostgreSQL {options.PostgresConnection}" : options.DatabasePath, keys is null ? "no API keys (open)" : $"{keys.Count} API keys");
        if (models.Current.Model.ContributionGroups is null && models.Current.Model.Policy.IsLearned)
        {
            log.LogInformation("model {Checksum} has no contribution_groups (written before lpp stored them): decisions report contributions per feature; retrain to report collinear features as one group", models.Current.Checksum);
        }

        return new LppServer(app, models, store, rollout, metrics, urls);
    }

    /// <summary>The bytes of the <c>--costs</c> file, checked (a costs file without <c>default</c> or with a cost that is not positive is refused); null without one.</summary>
    private static byte[]? LoadCosts(string? path)
    {
        if (path is null)
        {
            return null;
        }

        try
        {
            // The form is the served model's; it changes no check, so paper form here.
            SeverityCosts.Load(path, CostForm.Paper);
            return File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is FormatException or IOException or UnauthorizedAccessException)
        {
            throw new ServeException($"--costs {e.Message}");
        }
    }

    /// <summary>Whether a --urls address binds loopback only (an IP literal that is loopback, or localhost).</summary>
    internal static bool IsLoopback(string url)
    {
        if (!Uri.TryCreate(url.Replace("://*", "://any-address", StringComparison.Ordinal).Replace("://+", "://any-address", StringComparison.Ordinal), UriKind.Absolute, out var uri))
        {
            return false;
        }

        return string.Equals(uri.Host, "localhost", StringComparison.OrdinalIgnoreCase)
            || (System.Net.IPAddress.TryParse(uri.Host.Trim('[', ']'), out var ip) && System.Net.IPAddress.IsLoopback(ip));
    }

    /// <summary>Completes when the host is asked to stop (Ctrl+C, SIGTERM).</summary>
    public Task WaitForShutdownAsync() => Microsoft.Extensions.Hosting.HostingAbstractionsHostExtensions.WaitForShutdownAsync(_app);

    /// <summary>Stops listening, drains the audit writer and closes the store.</summary>
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _rollout.DisposeAsync().ConfigureAwait(false);
        _models.Dispose();
        await _store.DisposeAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
        _metrics.Dispose();
    }
}
