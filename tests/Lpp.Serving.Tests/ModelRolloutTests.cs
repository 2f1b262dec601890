using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;

namespace Lpp.Serving.Tests;

/// <summary>Model rollout across replicas on one PostgreSQL store (<see cref="ModelRollout"/>).</summary>
public sealed class ModelRolloutTests
{
    [Fact]
    public async Task Upload_OnOneReplica_TheOtherServesItAtItsNextPoll()
    {
        // Given two servers on one PostgreSQL store, both serving model A, the second polling only when told to
        await using var first = await ServeHost.StartAsync(o => o with { ApiKeysPath = ServeTestData.KeysFile }, store: AuditStoreKind.Postgres);
        await using var second = await ServeHost.StartAsync(o => o with { ApiKeysPath = ServeTestData.KeysFile }, StoppedTimers.Instance, sharedPostgres: first.Postgres);
        var ct = TestContext.Current.CancellationToken;
        var checksumA = first.Server.Model.Checksum;
        Assert.Equal(checksumA, second.Server.Model.Checksum);

        // When model B is uploaded to the first
        using var admin = ServeTestData.Client(first.Url, ServeTestData.AdminKey);
        using var upload = await admin.PostAsync("/v1/admin/model", new ByteArrayContent(ServeTestData.ModelBBytes) { Headers = { ContentType = new("application/json") } }, ct);
        Assert.Equal(HttpStatusCode.OK, upload.StatusCode);
        var checksumB = first.Server.Model.Checksum;
        Assert.NotEqual(checksumA, checksumB);

        // Then the second's next look at the store swaps B in (it looks every ModelPollMs, 500 ms: within 2 s), a
        // second look changes nothing, its model file on disk is B's, and its decisions and GET /v1/model name B
        var swapped = second.Server.Rollout.Poll();
        var again = second.Server.Rollout.Poll();
        Assert.True(swapped);
        Assert.False(again);
        Assert.Equal(checksumB, second.Server.Model.Checksum);
        Assert.Equal(ServeTestData.ModelBBytes, await File.ReadAllBytesAsync(second.ModelPath, ct));
        using var router = ServeTestData.Client(second.Url, ServeTestData.RouteKey);
        using var decision = await router.PostAsync("/v1/route", ServeTestData.Json(ServeTestData.Records[0]), ct);
        Assert.Equal(checksumB, JsonNode.Parse(await decision.Content.ReadAsStringAsync(ct))!["model"]!.GetValue<string>());
        Assert.Equal(checksumB, JsonNode.Parse(await router.GetStringAsync("/v1/model", ct))!["checksum"]!.GetValue<string>());
    }

    [Fact]
    public async Task Upload_OnOneReplica_TheOtherServesItUnpolled()
    {
        // Given two servers on one PostgreSQL store
        await using var first = await ServeHost.StartAsync(o => o with { ApiKeysPath = ServeTestData.KeysFile }, store: AuditStoreKind.Postgres);
        await using var second = await ServeHost.StartAsync(o => o with { ApiKeysPath = ServeTestData.KeysFile }, sharedPostgres: first.Postgres);
        var ct = TestContext.Current.CancellationToken;

        // When model B is uploaded to the first
        using var admin = ServeTestData.Client(first.Url, ServeTestData.AdminKey);
        using var upload = await admin.PostAsync("/v1/admin/model", new ByteArrayContent(ServeTestData.ModelBBytes) { Headers = { ContentType = new("application/json") } }, ct);
        var checksumB = first.Server.Model.Checksum;
        var clock = Stopwatch.StartNew();

        // Then the second's own polling serves it (bounded wait of 30 s for a busy machine; 2 s is the goal)
        using var client = ServeTestData.Client(second.Url, ServeTestData.RouteKey);
        string? served = null;
        while (clock.Elapsed < TimeSpan.FromSeconds(30) && served != checksumB)
        {
            served = JsonNode.Parse(await client.GetStringAsync("/v1/model", ct))!["checksum"]!.GetValue<string>();
            await Task.Delay(20, ct);
        }

        Assert.Equal(HttpStatusCode.OK, upload.StatusCode);
        Assert.True(served == checksumB, $"the second server still served {served} {clock.Elapsed.TotalSeconds:F1} s after the upload");
    }

    [Fact]
    public async Task Start_NewModelFilePublished_StaleOneGivesWayToTheLatestRelease()
    {
        // Given a server on model A (the store's first release), polling only when told to
        await using var onA = await ServeHost.StartAsync(time: StoppedTimers.Instance, store: AuditStoreKind.Postgres);
        var checksumA = onA.Server.Model.Checksum;

        // When a second starts on model B, a file the store has not seen, and a third on A, a file it has
        await using var onB = await ServeHost.StartAsync(sharedPostgres: onA.Postgres, modelFile: ServeTestData.ModelBPath);
        var checksumB = onB.Server.Model.Checksum;
        await using var stale = await ServeHost.StartAsync(sharedPostgres: onA.Postgres);

        // Then B was published as a deployment (the first follows at its next poll) and the third serves B, not its stale A
        Assert.NotEqual(checksumA, checksumB);
        Assert.True(onA.Server.Rollout.Poll());
        Assert.Equal(checksumB, onA.Server.Model.Checksum);
        Assert.Equal(checksumB, stale.Server.Model.Checksum);
        Assert.Equal(ServeTestData.ModelBBytes, await File.ReadAllBytesAsync(stale.ModelPath, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task ModelFileChange_OnOneReplica_PublishedToTheOther()
    {
        // Given two servers on one PostgreSQL store, the first not watching its file
        await using var first = await ServeHost.StartAsync(o => o with { WatchModel = false }, store: AuditStoreKind.Postgres);
        await using var second = await ServeHost.StartAsync(sharedPostgres: first.Postgres);
        var ct = TestContext.Current.CancellationToken;

        // When model B is written over the first's model file and it looks at the file
        File.Copy(ServeTestData.ModelBPath, first.ModelPath, overwrite: true);
        Assert.Equal(ModelSlot.FileCheck.Swapped, first.Server.Models.CheckFile());
        var checksumB = first.Server.Model.Checksum;

        // Then it is published (in the background: bounded polling for the release) and the second serves it
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(30) && second.Server.Model.Checksum != checksumB)
        {
            second.Server.Rollout.Poll();
            await Task.Delay(20, ct);
        }

        Assert.Equal(checksumB, second.Server.Model.Checksum);
    }
}
