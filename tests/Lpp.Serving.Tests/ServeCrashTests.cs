using System.Net;
using System.Text.Json.Nodes;

namespace Lpp.Serving.Tests;

/// <summary><c>lpp serve</c> as a child process, killed with SIGKILL under load: no answered decision is lost.</summary>
public sealed class ServeCrashTests
{
    [Fact]
    public async Task KillDashNine_UnderLoad_EveryAnsweredDecisionHasARow()
    {
        // Given lpp serve in a child process
        using var dir = new TempDir();
        var model = dir.File("model.json");
        File.Copy(ServeTestData.ModelA, model);
        var db = dir.File("audit.db");
        var (server, url) = await StartAsync(model, db);

        // When 16 clients route single records and batches until 3,000 decisions were answered, and the server is killed with SIGKILL
        var answered = new System.Collections.Concurrent.ConcurrentBag<string>();
        var killing = 0;
        using var killed = new CancellationTokenSource();
        var clients = Enumerable.Range(0, 16).Select(c => Task.Run(async () =>
        {
            using var client = ServeTestData.Client(url);
            client.Timeout = TimeSpan.FromMinutes(2);
            for (var i = c; !killed.IsCancellationRequested; i++)
            {
                try
                {
                    var batch = i % 4 == 0;
                    var body = batch
                        ? string.Join('\n', Enumerable.Range(i, 20).Select(k => ServeTestData.Records[k % ServeTestData.Records.Count]))
                        : ServeTestData.Records[i % ServeTestData.Records.Count];
                    using var response = await client.PostAsync(batch ? "/v1/route/batch" : "/v1/route", ServeTestData.Json(body), CancellationToken.None);
                    var text = await response.Content.ReadAsStringAsync(CancellationToken.None);
                    Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                    var json = JsonNode.Parse(text)!;
                    foreach (var decision in batch ? json["decisions"]!.AsArray() : new JsonArray(json.DeepClone()))
                    {
                        answered.Add(decision!["decision_id"]!.GetValue<string>());
                    }
                }
                catch (Exception) when (Volatile.Read(ref killing) == 1)
                {
                    // Refused, cut off or timed out as the server died: never acknowledged, so nothing to find.
                    return;
                }
            }
        })).ToList();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (answered.Count < 3000 && !clients.Any(t => t.IsFaulted) && clock.Elapsed < TimeSpan.FromMinutes(5))
        {
            await Task.Delay(10, TestContext.Current.CancellationToken);
        }

        Volatile.Write(ref killing, 1);
        await server.KillAsync();
        await killed.CancelAsync();
        await Task.WhenAll(clients);
        var received = answered.ToHashSet(StringComparer.Ordinal);

        // Then the server restarts on the same database, and every decision a client received has its row
        var (restarted, restartedUrl) = await StartAsync(model, db);
        try
        {
            using var client = ServeTestData.Client(restartedUrl);
            using var ready = await client.GetAsync("/readyz", TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
            await using var store = SqliteAuditStore.OpenReadOnly(db);
            var missing = received.Where(id => store.Find(id) is null).ToList();
            Assert.True(received.Count >= 3000, $"only {received.Count} decisions were answered");
            Assert.Empty(missing);
        }
        finally
        {
            restarted.Dispose();
            server.Dispose();
        }
    }

    private static async Task<(ServeProcess Process, string Url)> StartAsync(string model, string db)
    {
        var process = await ServeProcess.StartAsync("--model", model, "--db", db, "--no-watch");
        return (process, process.Url);
    }
}
