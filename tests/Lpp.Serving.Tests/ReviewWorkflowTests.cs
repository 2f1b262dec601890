using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Lpp.Serving.Tests;

/// <summary>The reviewer workflow end to end over HTTP, on both stores: claim, review, look up, export.</summary>
public sealed class ReviewWorkflowTests
{
    public static TheoryData<AuditStoreKind> Stores => [AuditStoreKind.Sqlite, AuditStoreKind.Postgres];

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task ClaimReviewLookUpExport_AsTheKeysAllow(AuditStoreKind store)
    {
        // Given a server with keys, and the first 60 records routed through the admin key
        await using var host = await ServeHost.StartAsync(o => o with { ApiKeysPath = ServeTestData.KeysFile }, store: store);
        var ct = TestContext.Current.CancellationToken;
        using var admin = ServeTestData.Client(host.Url, ServeTestData.AdminKey);
        using var alice = ServeTestData.Client(host.Url, ServeTestData.AliceKey);
        using var reviewer = ServeTestData.Client(host.Url, ServeTestData.ReviewKey);
        using var router = ServeTestData.Client(host.Url, ServeTestData.RouteKey);
        var answered = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var record in ServeTestData.Records.Take(60))
        {
            using var response = await admin.PostAsync("/v1/route", ServeTestData.Json(record), ct);
            var text = await response.Content.ReadAsStringAsync(ct);
            answered[JsonNode.Parse(text)!["decision_id"]!.GetValue<string>()] = text.TrimEnd('\n');
        }

        // When alice's key claims as alice and as bob, the reviewer key claims as itself, and bad claims are sent
        using var aliceClaim = await PostAsync(alice, "/v1/queues/review/claim", new { reviewer = "alice", limit = 3, lease_seconds = 60 });
        using var asBob = await PostAsync(alice, "/v1/queues/review/claim", new { reviewer = "bob", limit = 3 });
        using var otherClaim = await PostAsync(reviewer, "/v1/queues/review/claim", new { reviewer = "reviewer", limit = 3 });
        using var badLimit = await PostAsync(reviewer, "/v1/queues/review/claim", new { reviewer = "reviewer", limit = 0 });
        using var badLease = await PostAsync(reviewer, "/v1/queues/review/claim", new { reviewer = "reviewer", lease_seconds = 5 });
        using var badQueue = await PostAsync(reviewer, "/v1/queues/auto/claim", new { reviewer = "reviewer" });
        var aliceItems = JsonNode.Parse(await aliceClaim.Content.ReadAsStringAsync(ct))!["items"]!.AsArray();
        var otherItems = JsonNode.Parse(await otherClaim.Content.ReadAsStringAsync(ct))!["items"]!.AsArray();
        var leased = aliceItems[0]!["decision_id"]!.GetValue<string>();
        var verdict = aliceItems[0]!["record"]!["labels"]![0]!.GetValue<string>();
        var otherVerdict = aliceItems[0]!["record"]!["labels"]![1]!.GetValue<string>();

        // And the reviewer key reviews alice's item, alice's key reviews it as bob, as alice, as alice again (retry),
        // and as alice with the other verdict
        using var stolen = await ReviewAsync(reviewer, leased, verdict, "reviewer");
        using var impersonated = await ReviewAsync(alice, leased, verdict, "bob");
        using var reviewed = await ReviewAsync(alice, leased, verdict, "alice");
        using var retried = await ReviewAsync(alice, leased, verdict, "alice");
        using var changed = await ReviewAsync(alice, leased, otherVerdict, "alice");

        // Then claims give disjoint items with leases, and refuse other identities and bad values naming the field
        Assert.Equal(HttpStatusCode.OK, aliceClaim.StatusCode);
        Assert.Equal(3, aliceItems.Count);
        Assert.All(aliceItems, i => Assert.NotNull(i!["lease_expires"]));
        Assert.Equal(3, otherItems.Count);
        Assert.Empty(aliceItems.Select(i => i!["decision_id"]!.GetValue<string>()).Intersect(otherItems.Select(i => i!["decision_id"]!.GetValue<string>())));
        Assert.Equal(HttpStatusCode.Forbidden, asBob.StatusCode);
        Assert.Equal("limit", await FieldAsync(badLimit));
        Assert.Equal("lease_seconds", await FieldAsync(badLease));
        Assert.Equal("queue", await FieldAsync(badQueue));

        // And reviews: 409 naming the lease holder, 403 for another identity, 200, 200 with the stored review, 409
        Assert.Equal(HttpStatusCode.Conflict, stolen.StatusCode);
        Assert.Contains("leased to reviewer 'alice'", await stolen.Content.ReadAsStringAsync(ct), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, impersonated.StatusCode);
        Assert.Equal(HttpStatusCode.OK, reviewed.StatusCode);
        Assert.Equal(HttpStatusCode.OK, retried.StatusCode);
        var first = JsonNode.Parse(await reviewed.Content.ReadAsStringAsync(ct))!;
        var again = JsonNode.Parse(await retried.Content.ReadAsStringAsync(ct))!;
        Assert.Equal(first["reviewed"]!.GetValue<string>(), again["reviewed"]!.GetValue<string>());
        Assert.Equal("already recorded", again["status"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.Conflict, changed.StatusCode);

        // And any key looks a decision up: the JSON answered, who asked, and the review; an unknown id is 404
        using var lookup = await router.GetAsync($"/v1/decisions/{leased}", ct);
        var found = JsonNode.Parse(await lookup.Content.ReadAsStringAsync(ct))!;
        Assert.Equal(HttpStatusCode.OK, lookup.StatusCode);
        Assert.Equal(JsonNode.Parse(answered[leased])!.ToJsonString(), found["decision"]!.ToJsonString());
        Assert.Equal("admin", found["caller"]!.GetValue<string>());
        Assert.Equal(verdict, found["review"]!["verdict"]!.GetValue<string>());
        Assert.Equal("alice", found["review"]!["reviewer"]!.GetValue<string>());
        using var unknown = await router.GetAsync("/v1/decisions/0190f0e2a1b27c3d8e4f5a6b7c8d9e0f", ct);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);

        // And lpp audit export writes every decision in creation order with its record and review
        var exported = host.Dir.File("audit.jsonl");
        var run = LppProcess.Run(["audit", "export", .. host.StoreArguments, "--output", exported]);
        Assert.True(run.ExitCode == 0, run.StdErr);
        var lines = File.ReadAllLines(exported).Select(l => JsonNode.Parse(l)!).ToList();
        Assert.Equal(answered.Keys, lines.Select(l => l["decision_id"]!.GetValue<string>()));
        Assert.Equal(ServeTestData.Records.Take(60).Select(r => JsonNode.Parse(r)!.ToJsonString()), lines.Select(l => l["record"]!.ToJsonString()));
        Assert.Equal(answered.Values.Select(a => JsonNode.Parse(a)!.ToJsonString()), lines.Select(l => l["decision"]!.ToJsonString()));
        Assert.Single(lines, l => l["review"] is not null);
        Assert.Contains("audit export: 60 decisions", run.StdErr, StringComparison.Ordinal);
    }

    private static Task<HttpResponseMessage> PostAsync(HttpClient client, string path, object body) =>
        client.PostAsync(path, ServeTestData.Json(JsonSerializer.Serialize(body)), TestContext.Current.CancellationToken);

    private static Task<HttpResponseMessage> ReviewAsync(HttpClient client, string decisionId, string verdict, string reviewer) =>
        PostAsync(client, "/v1/reviews", new Dictionary<string, string> { ["decision_id"] = decisionId, ["verdict"] = verdict, ["reviewer"] = reviewer });

    private static async Task<string?> FieldAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken))!["field"]?.GetValue<string>();
    }
}
