using System.Net;
using System.Text.Json.Nodes;

namespace Lpp.Serving.Tests;

/// <summary>The OpenAPI document, fetched from the running service and checked against it (<see cref="ServeOpenApi"/>).</summary>
public sealed class ServeOpenApiTests
{
    [Fact]
    public async Task Document_EveryDocumentedRoute_AnsweredByTheServiceWithARightScopedKey()
    {
        // Given a running server with API keys and one decision routed (a real id for the decision route)
        await using var host = await ServeHost.StartAsync(o => o with { ApiKeysPath = ServeTestData.KeysFile });
        var ct = TestContext.Current.CancellationToken;
        using var admin = ServeTestData.Client(host.Url, ServeTestData.AdminKey);
        using var routed = await admin.PostAsync("/v1/route", ServeTestData.Json(ServeTestData.Records[0]), ct);
        var decisionId = JsonNode.Parse(await routed.Content.ReadAsStringAsync(ct))!["decision_id"]!.GetValue<string>();

        // When the document is fetched without a key
        using var anonymous = ServeTestData.Client(host.Url);
        using var fetched = await anonymous.GetAsync("/openapi/v1.json", ct);
        var document = JsonNode.Parse(await fetched.Content.ReadAsStringAsync(ct))!;
        var operations = document["paths"]!.AsObject()
            .SelectMany(p => p.Value!.AsObject().Select(o => (Path: p.Key, Method: o.Key.ToUpperInvariant(), Operation: o.Value!)))
            .ToList();

        // Then it is OpenAPI 3, documents every mapped route but its own, each with a summary and its scope
        Assert.Equal(HttpStatusCode.OK, fetched.StatusCode);
        Assert.StartsWith("3.", document["openapi"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(
            host.Server.Routes.Where(r => r != $"GET {ServeOpenApi.DocumentRoute}").Order(StringComparer.Ordinal),
            operations.Select(o => $"{o.Method} {o.Path}").Order(StringComparer.Ordinal));
        Assert.All(operations, o => Assert.DoesNotContain("not described", o.Operation["summary"]!.GetValue<string>(), StringComparison.Ordinal));
        Assert.All(operations, o => Assert.StartsWith("Scope: ", o.Operation["description"]!.GetValue<string>(), StringComparison.Ordinal));

        // And each documented operation, called as documented with the admin key (all scopes), reaches its handler:
        // GETs answer 200, POSTs with an empty JSON object answer neither 404 nor 405 nor a server error
        var failures = new List<string>();
        foreach (var (path, method, _) in operations)
        {
            var url = path.Replace("{queue}", "review", StringComparison.Ordinal).Replace("{decision_id}", decisionId, StringComparison.Ordinal);
            Assert.DoesNotContain('{', url);
            using var request = new HttpRequestMessage(new HttpMethod(method), url) { Content = method == "POST" ? ServeTestData.Json("{}") : null };
            using var response = await admin.SendAsync(request, ct);
            var status = (int)response.StatusCode;
            if (method == "GET" ? status != 200 : status is 404 or 405 or >= 500)
            {
                failures.Add($"{method} {url}: {status} {await response.Content.ReadAsStringAsync(ct)}");
            }
        }

        Assert.Empty(failures);
    }
}
