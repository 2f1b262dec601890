using System.Text;

namespace Lpp.Serving.Tests;

/// <summary>
/// Every endpoint against every kind of caller, on both stores: no key and an unknown key get 401 wherever a key is
/// needed, each single-scope key gets 403 outside its scope and through inside it, and the open endpoints answer all.
/// The server runs on a hand-written model (<see cref="ServeTestData.HandModel"/>): no ../shared needed.
/// </summary>
public sealed class AuthMatrixTests
{
    /// <summary>The callers: no key, an unknown key, and one key per scope holding only that scope.</summary>
    private static readonly (string Name, string? Key, string? Scope)[] Callers =
    [
        ("no key", null, null),
        ("unknown key", "not-a-key", null),
        ("route-only key", ServeTestData.RouteKey, "route"),
        ("review-only key", ServeTestData.ReviewKey, "review"),
        ("admin-only key", ServeTestData.AdminOnlyKey, "admin"),
    ];

    /// <summary>
    /// The endpoints, with the scope each needs ("any" for any known key, null for none) and a well-formed request,
    /// so a caller let through gets an answer from the handler itself.
    /// </summary>
    private static readonly (string Method, string Path, string? Scope, Func<HttpContent?> Body)[] Endpoints =
    [
        ("POST", "/v1/route", "route", () => ServeTestData.Json(ServeTestData.HandRecords[0])),
        ("POST", "/v1/route/batch", "route", () => ServeTestData.Json(ServeTestData.HandRecords[0] + "\n" + ServeTestData.HandRecords[1])),
        ("GET", "/v1/queues/review", "review", () => null),
        ("POST", "/v1/queues/review/claim", "review", () => ServeTestData.Json("""{"reviewer": "reviewer", "limit": 1}""")),
        ("GET", "/v1/decisions/0190f0e2a1b27c3d8e4f5a6b7c8d9e0f", "any", () => null),
        ("POST", "/v1/reviews", "review", () => ServeTestData.Json("""{"decision_id": "0190f0e2a1b27c3d8e4f5a6b7c8d9e0f", "verdict": "1", "reviewer": "reviewer"}""")),
        ("GET", "/v1/model", "any", () => null),
        ("POST", "/v1/admin/model", "admin", () => new ByteArrayContent(File.ReadAllBytes(ServeTestData.HandModel)) { Headers = { ContentType = new("application/json") } }),
        ("GET", "/healthz", null, () => null),
        ("GET", "/readyz", null, () => null),
        ("GET", "/metrics", null, () => null),
        ("GET", "/openapi/v1.json", null, () => null),
    ];

    public static TheoryData<AuditStoreKind> Stores => [AuditStoreKind.Sqlite, AuditStoreKind.Postgres];

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task EveryEndpoint_EveryCaller_AnsweredAsItsScopeAllows(AuditStoreKind store)
    {
        // Given a server with an API keys file on the store
        await using var host = await ServeHost.StartAsync(o => o with { ApiKeysPath = ServeTestData.KeysFile }, store: store, modelFile: ServeTestData.HandModel);
        var ct = TestContext.Current.CancellationToken;
        var mismatches = new StringBuilder();

        // When every caller calls every endpoint
        foreach (var (method, path, scope, body) in Endpoints)
        {
            foreach (var (name, key, keyScope) in Callers)
            {
                using var client = ServeTestData.Client(host.Url, key);
                using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = body() };
                using var response = await client.SendAsync(request, ct);
                var status = (int)response.StatusCode;

                // Then: open endpoints answer everyone; elsewhere no or unknown key is 401, a key outside its scope 403,
                // and a key inside its scope reaches the handler (neither 401 nor 403)
                var expected = scope is null ? "200"
                    : keyScope is null ? "401"
                    : scope == "any" || scope == keyScope ? "let through"
                    : "403";
                var ok = expected switch
                {
                    "let through" => status is not (401 or 403),
                    _ => status.ToString(System.Globalization.CultureInfo.InvariantCulture) == expected,
                };
                if (!ok)
                {
                    mismatches.AppendLine($"{method} {path} with {name}: expected {expected}, got {status} {await response.Content.ReadAsStringAsync(ct)}");
                }

                if (status == 401)
                {
                    Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
                }
            }
        }

        Assert.True(mismatches.Length == 0, mismatches.ToString());
    }

    [Fact]
    public async Task Endpoints_CoverEveryMappedRoute()
    {
        // Given a running server
        await using var host = await ServeHost.StartAsync(modelFile: ServeTestData.HandModel);

        // When its mapped routes are listed, then the matrix names each of them (the queue as one of its values)
        var inMatrix = Endpoints.Select(e => $"{e.Method} {e.Path.Replace("/v1/queues/review", "/v1/queues/{queue}", StringComparison.Ordinal).Replace("0190f0e2a1b27c3d8e4f5a6b7c8d9e0f", "{decision_id}", StringComparison.Ordinal).Replace("/openapi/v1.json", ServeOpenApi.DocumentRoute, StringComparison.Ordinal)}").Order(StringComparer.Ordinal);
        Assert.Equal(inMatrix, host.Server.Routes.Order(StringComparer.Ordinal));
    }
}
