using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.OpenApi;

namespace Lpp.Serving;

/// <summary>
/// The OpenAPI document of <c>lpp serve</c>, served at <c>/openapi/v1.json</c> (ASP.NET Core's
/// <c>Microsoft.AspNetCore.OpenApi</c>). The handlers read and write JSON themselves (no model binding), so ApiExplorer
/// sees none of them; a document transformer adds every mapped route instead, described from <see cref="Operations"/>
/// (a route missing there still appears, with its path parameters), so the document cannot leave an endpoint out.
/// </summary>
internal static class ServeOpenApi
{
    /// <summary>The route of the document.</summary>
    public const string DocumentRoute = "/openapi/{documentName}.json";

    private const string Json = "application/json";

    /// <summary>What each route is: summary, the scope it needs, the body types it takes, its answers.</summary>
    private static readonly Dictionary<string, (string Summary, string Scope, string[] Accepts, (int Status, string What)[] Answers)> Operations = new(StringComparer.Ordinal)
    {
        ["POST /v1/route"] = ("Route one decision record: trust or escalate, with its decision_id and model checksum.", "route", [Json], [(200, "the decision"), (400, "an invalid record"), (413, "body too large"), (415, "not JSON"), (429, "over the rate limit"), (503, "the audit store cannot take it")]),
        ["POST /v1/route/batch"] = ("Route a JSON array or JSON Lines of records: {model, decisions, rejected}.", "route", [Json, "application/x-ndjson"], [(200, "the decisions and the rejected records"), (400, "no record or malformed"), (413, "too many records or bytes"), (415, "not JSON"), (429, "over the rate limit (counts records)"), (503, "the audit store cannot take it")]),
        ["GET /v1/queues/{queue}"] = ("Pending items of a review queue (review, senior_review, policy_review, audit), most costly first; ?limit=1-1000.", "review", [], [(200, "{queue, pending, items}"), (400, "an unknown queue or a bad limit")]),
        ["POST /v1/queues/{queue}/claim"] = ("Lease the first free items of a queue to a reviewer: {reviewer, limit, lease_seconds}.", "review", [Json], [(200, "{queue, items} with lease_expires"), (400, "a bad field"), (403, "a reviewer the key may not act for")]),
        ["POST /v1/reviews"] = ("Record a reviewer's verdict on a decision: {decision_id, verdict, reviewer}.", "review", [Json], [(200, "the stored review"), (400, "a bad field"), (403, "a reviewer the key may not act for"), (404, "an unknown decision"), (409, "reviewed otherwise, or leased to another reviewer")]),
        ["GET /v1/decisions/{decision_id}"] = ("A stored decision as answered, with its review.", "any key", [], [(200, "{decision_id, created, caller, model, audit_rate, decision, shadow, review}"), (404, "an unknown decision")]),
        ["GET /v1/model"] = ("The model card of the model in service, with its shadow model's card (or null).", "any key", [], [(200, "the model card")]),
        ["POST /v1/admin/model"] = ("Replace the model on every replica: the body is a model file, verified, published to the store and served.", "admin", [Json], [(200, "the new model card"), (400, "the model file was refused"), (503, "the store cannot take it")]),
        ["GET /healthz"] = ("Liveness.", "none", [], [(200, "ok")]),
        ["GET /readyz"] = ("Readiness: 503 while the audit store takes no commits.", "none", [], [(200, "ready"), (503, "not ready")]),
        ["GET /metrics"] = ("Prometheus text exposition of the service's metrics.", "none", [], [(200, "metrics")]),
    };

    /// <summary>Registers the document (v1) with its transformer.</summary>
    public static void AddServeOpenApi(this IServiceCollection services) =>
        services.AddOpenApi(o => o.AddDocumentTransformer((document, context, _) =>
        {
            Describe(document, context.ApplicationServices.GetRequiredService<EndpointDataSource>());
            return Task.CompletedTask;
        }));

    /// <summary>Adds every mapped route but the document's own to <paramref name="document"/>.</summary>
    private static void Describe(OpenApiDocument document, EndpointDataSource endpoints)
    {
        document.Info = new OpenApiInfo { Title = "lpp serve", Version = "v1", Description = "Routes LLM moderation decisions (trust or escalate), keeps the audit log and the review queues. Send an API key as Authorization: Bearer <key>; each operation names the scope it needs." };
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes["bearer"] = new OpenApiSecurityScheme { Type = SecuritySchemeType.Http, Scheme = "bearer", Description = "An API key from the --api-keys file." };
        document.Paths ??= [];
        foreach (var endpoint in endpoints.Endpoints.OfType<RouteEndpoint>())
        {
            var pattern = endpoint.RoutePattern;
            if (pattern.RawText is not { } path || path == DocumentRoute)
            {
                continue;
            }

            if (!document.Paths.TryGetValue(path, out var item))
            {
                item = new OpenApiPathItem();
                document.Paths[path] = item;
            }

            var pathItem = (OpenApiPathItem)item;
            foreach (var method in endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? [])
            {
                var (summary, scope, accepts, answers) = Operations.GetValueOrDefault($"{method} {path}", ("(not described)", "see the README", [], [(200, "OK")]));
                var operation = new OpenApiOperation
                {
                    Summary = summary,
                    Description = $"Scope: {scope}.",
                    OperationId = $"{method.ToLowerInvariant()}{string.Concat(path.Split('/', '{', '}', '_', '.').Where(p => p.Length > 0).Select(p => char.ToUpperInvariant(p[0]) + p[1..]))}",
                    Parameters = [.. pattern.Parameters.Select(p => (IOpenApiParameter)new OpenApiParameter { Name = p.Name, In = ParameterLocation.Path, Required = true, Schema = new OpenApiSchema { Type = JsonSchemaType.String } })],
                    Responses = [],
                };
                if (accepts.Length > 0)
                {
                    operation.RequestBody = new OpenApiRequestBody { Required = true, Content = accepts.ToDictionary(a => a, _ => new OpenApiMediaType()) };
                }

                foreach (var (status, what) in answers)
                {
                    operation.Responses[status.ToString(System.Globalization.CultureInfo.InvariantCulture)] = new OpenApiResponse
                    {
                        Description = what,
                        Content = new Dictionary<string, OpenApiMediaType> { [status < 300 ? (path == "/metrics" || path.EndsWith("z", StringComparison.Ordinal) ? "text/plain" : Json) : "application/problem+json"] = new() },
                    };
                }

                pathItem.Operations ??= [];
                pathItem.Operations[new HttpMethod(method)] = operation;
            }
        }
    }
}
