using System.Text.Json;

namespace Lpp.Inference.Tests;

public sealed class BatchRunnerTests
{
    private static readonly Concept Hate = ModerationDataset.Concepts[1];
    private static readonly Concept Violence = ModerationDataset.Concepts[2];
    private static readonly HttpClient Http = new();

    private static readonly InferenceOptions Options = new() { Parallel = 1, RetryBaseDelay = TimeSpan.FromSeconds(1) };

    private static InferenceItem[] Items(int n) =>
        [.. Enumerable.Range(0, n).Select(i => new InferenceItem { Id = $"i{i}", Text = $"text {i}", Labels = new Dictionary<string, int> { ["H"] = i % 2 } })];

    [Fact]
    public async Task RunAsync_CompletedBatch_WritesByteIdenticalRecordsToTheSyncPath()
    {
        // Given 3 items x 2 concepts, and the same recorded answer from a batch and from synchronous calls
        using var temp = new TempDir();
        await using var batch = new FakeBatchServer();
        var items = Items(3);

        // When one run goes through the batch interface and another through synchronous calls
        var summary = await RunBatch(batch, temp, items, [Hate, Violence], "batch.jsonl");
        await using (var sync = new LoopbackServer((_, _) => Reply.Json(Bodies.OpenAi(Bodies.Direct1))))
        using (var file = new RecordFile(temp.File("sync.jsonl")))
        {
            var runner = new InferenceRunner(Provider(sync.BaseUrl), Options, new PromptBuilder(PromptTemplates.Default, false), null, new InstantTimeProvider());
            await runner.RunAsync(InferenceTask.For(items, [Hate, Violence], false), file, TestContext.Current.CancellationToken);
        }

        // Then one batch of 6 requests was submitted, no synchronous call made, and the records are the same bytes
        Assert.Equal(1, batch.Creates);
        Assert.Equal(0, batch.SyncCalls);
        Assert.Equal(6, Assert.Single(batch.Uploaded).Count);
        Assert.Equal(6, summary.Written);
        Assert.Equal(6, summary.CacheHits);
        Assert.Equal(File.ReadAllLines(temp.File("sync.jsonl")), File.ReadAllLines(temp.File("batch.jsonl")));
    }

    [Fact]
    public async Task RunAsync_BatchSize_SplitsTheRequests()
    {
        using var temp = new TempDir();
        await using var batch = new FakeBatchServer();

        var summary = await RunBatch(batch, temp, Items(5), [Hate], "out.jsonl", new BatchOptions { BatchSize = 2, PollInterval = TimeSpan.FromSeconds(5) });

        Assert.Equal([2, 2, 1], batch.Uploaded.Select(u => u.Count));
        Assert.Equal(5, summary.Written);
        Assert.Equal(0, summary.Failed);
    }

    [Fact]
    public async Task RunAsync_ExpiredBatch_ResubmitsOnlyTheRequestsThatDidNotRun()
    {
        // Given a first batch that expires with 2 of its 5 requests answered
        using var temp = new TempDir();
        await using var batch = new FakeBatchServer { Outcome = (number, total) => number == 1 ? ("expired", 2) : ("completed", total) };

        var summary = await RunBatch(batch, temp, Items(5), [Hate], "out.jsonl");

        // Then the 3 others go in a second batch, and every pair ends with an answer
        Assert.Equal([5, 3], batch.Uploaded.Select(u => u.Count));
        Assert.Empty(batch.Uploaded[0].Take(2).Intersect(batch.Uploaded[1]));
        Assert.Equal(5, summary.Written);
        Assert.Equal(0, summary.Failed);
        Assert.All(ReadRecords(temp.File("out.jsonl")), r => Assert.Equal("1", r.Output.Outcome));
    }

    [Fact]
    public async Task RunAsync_FailedBatch_WritesRefusedRecordsWithTheReason()
    {
        using var temp = new TempDir();
        await using var batch = new FakeBatchServer { Outcome = (_, _) => ("failed", 0) };
        var log = new List<string>();

        var summary = await RunBatch(batch, temp, Items(2), [Hate], "out.jsonl", log: log);

        Assert.Equal(2, summary.Refused);
        Assert.Equal(0, batch.SyncCalls);
        Assert.All(File.ReadAllLines(temp.File("out.jsonl")), l =>
        {
            using var doc = JsonDocument.Parse(l);
            Assert.Equal("refused", doc.RootElement.GetProperty("error_kind").GetString());
            Assert.Equal("batch batch_1 failed: invalid_request: line 1: model not found", doc.RootElement.GetProperty("error").GetString());
        });
        Assert.Contains(log, l => l.Contains("batch_1 failed: 0 answers, 2 without an answer", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RunAsync_ErrorFileMalformedAndUnknownLines_AreCountedAndNothingIsWrittenTwice()
    {
        // Given a batch whose answer to i1 is a 400 in the error file, plus a malformed line, an unknown custom_id
        // and a second answer for one request
        using var temp = new TempDir();
        await using var batch = new FakeBatchServer();
        batch.Answer = (id, body) => body.GetProperty("messages")[1].GetProperty("content").GetString()!.Contains("text 1", StringComparison.Ordinal) ? null : Bodies.OpenAi(Bodies.Direct1);
        var items = Items(3);
        batch.ExtraOutputLines =
        [
            "{not json",
            """{"id":"x","custom_id":"0000000000000000000000000000000000000000000000000000000000000000","response":{"status_code":200,"body":{}},"error":null}""",
        ];
        var runner = NewRunner(batch, temp, out var disposables);
        InferenceSummary summary;
        using (disposables)
        using (var file = new RecordFile(temp.File("out.jsonl")))
        {
            summary = await runner.RunAsync(() => InferenceTask.For(items, [Hate], false), file, TestContext.Current.CancellationToken);
        }

        // Then i1 is a refused record, the others answered, and the odd lines are counted
        Assert.Equal(1, runner.Progress.Malformed);
        Assert.Equal(1, runner.Progress.Unknown);
        Assert.Equal(2, runner.Progress.Answers);
        Assert.Equal(1, runner.Progress.Errors);
        Assert.Equal(3, summary.Written);
        var records = ReadRecords(temp.File("out.jsonl")).ToDictionary(r => r.Id);
        Assert.Equal("batch: HTTP 400: content policy", records["i1/H"].NoAnswer);
        Assert.Equal("1", records["i0/H"].Output.Outcome);
        Assert.Equal(0, batch.SyncCalls);
    }

    [Fact]
    public async Task RunAsync_InvalidBatchAnswer_IsAskedAgainSynchronously()
    {
        using var temp = new TempDir();
        await using var batch = new FakeBatchServer { Answer = (_, _) => Bodies.OpenAi(Bodies.DirectAnswer(7)) };

        var summary = await RunBatch(batch, temp, Items(1), [Hate], "out.jsonl");

        Assert.Equal(1, batch.SyncCalls);
        Assert.Equal(1, summary.AnswerRetries);
        Assert.Equal("1", ReadRecords(temp.File("out.jsonl")).Single().Output.Outcome);
    }

    [Fact]
    public async Task RunAsync_KilledAfterSubmission_ResumesByPollingTheSameBatch()
    {
        // Given a run stopped right after its batch was submitted
        using var temp = new TempDir();
        await using var batch = new FakeBatchServer();
        var items = Items(4);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        var first = NewRunner(batch, temp, out var disposables, log: line =>
        {
            if (line.StartsWith("batch: submitted", StringComparison.Ordinal))
            {
                stop.Cancel();
            }
        });
        using (disposables)
        using (var file = new RecordFile(temp.File("out.jsonl")))
        {
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first.RunAsync(() => InferenceTask.For(items, [Hate], false), file, stop.Token));
        }

        Assert.Equal(1, batch.Creates);
        Assert.Empty(File.ReadAllLines(temp.File("out.jsonl")));
        Assert.Empty(batch.DeleteRequests); // the uploaded requests are still needed (the batch runs on them)

        // When the run starts again
        ResponseCacheTests.ClearSqlitePools();
        var log = new List<string>();
        var summary = await RunBatch(batch, temp, items, [Hate], "out.jsonl", log: log);

        // Then it polls the batch it submitted (no second upload or batch, no second charge) and writes every record
        Assert.Equal(1, batch.Creates);
        Assert.Equal(1, batch.Uploads);
        Assert.Equal(4, summary.Written);
        Assert.Contains(log, l => l.StartsWith("batch: resuming 1 batches submitted earlier (4 requests)", StringComparison.Ordinal));
        Assert.Equal(["file-1", "file-out-batch_1"], batch.Deleted); // once collected: the upload and the results
        var status = new BatchLedger(temp.File("cache.db"));
        using (status)
        {
            var only = Assert.Single(status.Batches("openai", Provider(batch.Server.BaseUrl).Endpoint, "gpt-4o-mini"));
            Assert.Equal("completed", only.Status);
            Assert.True(only.Collected);
        }
    }

    [Fact]
    public async Task RunAsync_KilledBetweenCreationAndLedger_FindsTheBatchByNameAndCreatesNoSecond()
    {
        // Given a run killed after the provider created its batch but before the answer (the batch id) was stored
        using var temp = new TempDir();
        await using var batch = new FakeBatchServer();
        var items = Items(4);
        await KillFirstRun(batch, temp, items, Kill.AfterCreate);
        Assert.Equal(1, batch.Creates);

        // When the run starts again
        var log = new List<string>();
        var time = new InstantTimeProvider();
        var summary = await RunBatch(batch, temp, items, [Hate], "out.jsonl", log: log, time: time);

        // Then it finds the batch in the provider's list at once by the name it was created with, polls it, and creates none
        Assert.Equal(1, batch.Creates);
        Assert.Equal(1, batch.Uploads);
        Assert.Equal(1, batch.Lists);
        Assert.DoesNotContain(BatchDefaults.ListLag, time.Delays);
        Assert.Equal(4, summary.Written);
        Assert.Equal(0, summary.Failed);
        Assert.Contains(log, l => l.Contains("of an interrupted run was created as batch_1 (4 requests); polling it", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RunAsync_KilledBetweenCreationAndLedgerAndTheListLags_WaitsAndListsAgainInsteadOfSubmittingTwice()
    {
        // Given a run killed after the provider created its batch, and a list that shows the batch only from its second listing
        using var temp = new TempDir();
        await using var batch = new FakeBatchServer();
        var items = Items(4);
        await KillFirstRun(batch, temp, items, Kill.AfterCreate);
        batch.ListLag = 1;

        // When the run starts again (its clock reads the time the creation was asked for: the lag has not passed)
        var log = new List<string>();
        var time = new InstantTimeProvider();
        var summary = await RunBatch(batch, temp, items, [Hate], "out.jsonl", log: log, time: time);

        // Then it waits the whole lag (10 min after the creation request), lists again, finds the batch and polls it:
        // one upload, one batch, no second charge
        Assert.Equal(2, batch.Lists);
        Assert.Equal(1, batch.Creates);
        Assert.Equal(1, batch.Uploads);
        Assert.Contains(TimeSpan.FromMinutes(10), time.Delays);
        Assert.Equal(4, summary.Written);
        Assert.Equal(0, summary.Failed);
        Assert.Contains(log, l => l.Contains("is not in openai's batch list yet; a list can lag a batch just created, so it is listed again at 00:10:00Z (in 600 s, 10 min after its creation was asked for) before its 4 requests are submitted again", StringComparison.Ordinal));
        Assert.Contains(log, l => l.Contains("of an interrupted run was created as batch_1 (4 requests); polling it", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RunAsync_KilledBeforeTheProviderCreatedTheBatch_ListsAgainAfterTheLagThenSubmitsItsRequestsAgain()
    {
        // Given a run killed after uploading its file and recording the creation request, before the provider created the batch
        using var temp = new TempDir();
        await using var batch = new FakeBatchServer();
        var items = Items(3);
        await KillFirstRun(batch, temp, items, Kill.BeforeCreate);
        Assert.Equal(0, batch.Creates);
        Assert.Equal(1, batch.Uploads);

        // When the run starts again
        var log = new List<string>();
        var time = new InstantTimeProvider();
        var summary = await RunBatch(batch, temp, items, [Hate], "out.jsonl", log: log, time: time);

        // Then neither listing (before and after the lag) shows it by name or file, so its requests go in one new batch,
        // every record is written, and the first upload (never used) is deleted with the new batch's files
        Assert.Equal(2, batch.Lists);
        Assert.Contains(TimeSpan.FromMinutes(10), time.Delays);
        Assert.Equal(1, batch.Creates);
        Assert.Equal(2, batch.Uploads);
        Assert.Equal(3, batch.Uploaded[1].Count);
        Assert.Equal(3, summary.Written);
        Assert.Contains("file-1", batch.Deleted);
        Assert.Contains(log, l => l.Contains("of an interrupted run was never created (openai lists no batch by that name or file, 10 min after its creation was asked for); its 3 requests are submitted again", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RunAsync_KilledBeforeAskingForTheCreation_SubmitsAgainWithoutWaitingForTheList()
    {
        // Given a run killed while uploading its batch file (the creation never asked for)
        using var temp = new TempDir();
        await using var batch = new FakeBatchServer();
        var items = Items(3);
        await KillFirstRun(batch, temp, items, Kill.BeforeUpload);

        // When the run starts again
        var log = new List<string>();
        var time = new InstantTimeProvider();
        var summary = await RunBatch(batch, temp, items, [Hate], "out.jsonl", log: log, time: time);

        // Then it knows no batch can exist: no listing, no wait, one new batch
        Assert.Equal(0, batch.Lists);
        Assert.DoesNotContain(BatchDefaults.ListLag, time.Delays);
        Assert.Equal(1, batch.Creates);
        Assert.Equal(3, summary.Written);
        Assert.Contains(log, l => l.Contains("of an interrupted run was never created (the run stopped before asking openai to create it); its 3 requests are submitted again", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RunAsync_CreationAnswerLostAndTheListLags_WaitsForTheListInsteadOfCreatingTwice()
    {
        // Given a server that creates the batch but loses the answer, and whose list shows it only from the second listing
        using var temp = new TempDir();
        await using var batch = new FakeBatchServer { LoseCreateAnswers = 1, ListLag = 1 };
        var time = new InstantTimeProvider();

        var summary = await RunBatch(batch, temp, Items(2), [Hate], "out.jsonl", time: time);

        // Then the retry (after the 1 s backoff, RetryBaseDelay) lists, waits out the rest of the 10 min lag
        // (600 - 1 = 599 s), lists again and finds it: one batch
        Assert.Equal(1, batch.Creates);
        Assert.Equal(2, batch.Lists);
        Assert.Equal(2, summary.Written);
        Assert.Equal(0, summary.Failed);
        Assert.Equal([TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(599)], time.Delays.Take(2));
    }

    [Fact]
    public async Task RunAsync_CreationRefused_ForgetsTheBatchSoTheNextRunSubmitsWithoutWaiting()
    {
        // Given a server that refuses every batch creation (HTTP 400)
        using var temp = new TempDir();
        await using var refusing = new LoopbackServer((request, _) => request.Path.EndsWith("/files", StringComparison.Ordinal)
            ? Reply.Json("""{"id":"file-1","object":"file"}""")
            : new Reply(400, """{"error":{"message":"model not available for batch"}}"""));
        var cache = new ResponseCache(temp.File("cache.db"));
        var ledger = new BatchLedger(temp.File("cache.db"));
        using (cache)
        using (ledger)
        using (var file = new RecordFile(temp.File("out.jsonl")))
        {
            var runner = new BatchRunner(Provider(refusing.BaseUrl), new OpenAiBatchTransport(refusing.BaseUrl, "k", Http), new BatchOptions { WorkFolder = temp.Path }, Options, new PromptBuilder(PromptTemplates.Default, false), cache, ledger, new InstantTimeProvider());

            var e = await Assert.ThrowsAsync<InferenceStoppedException>(() => runner.RunAsync(() => InferenceTask.For(Items(2), [Hate], false), file, TestContext.Current.CancellationToken));

            // Then the run stops naming the refusal, and the ledger keeps no batch to look up, only the upload to delete
            Assert.Equal("openai refused the batch of 2 requests (HTTP 400: model not available for batch)", e.Message);
            Assert.Empty(ledger.Batches("openai", Provider(refusing.BaseUrl).Endpoint, "gpt-4o-mini"));
            Assert.Equal(["file-1"], ledger.FilesToDelete("openai", Provider(refusing.BaseUrl).Endpoint));
        }
    }

    [Fact]
    public async Task RunAsync_CollectedBatch_DeletesItsFilesOnlyOnceItsResultsAreStored()
    {
        // Given a batch whose answer to i1 is refused (so it has an output and an error file), and a look at the cache
        // database each time a deletion arrives
        using var temp = new TempDir();
        await using var batch = new FakeBatchServer();
        batch.Answer = (_, body) => body.GetProperty("messages")[1].GetProperty("content").GetString()!.Contains("text 1", StringComparison.Ordinal) ? null : Bodies.OpenAi(Bodies.Direct1);
        var endpoint = Provider(batch.Server.BaseUrl).Endpoint;
        var seen = new List<(bool Collected, int Answers, string? Refused)>();
        batch.OnDelete = _ =>
        {
            using var ledger = new BatchLedger(temp.File("cache.db"));
            using var cache = new ResponseCache(temp.File("cache.db"));
            var keys = batch.Uploaded[0];
            seen.Add((ledger.Batches("openai", endpoint, "gpt-4o-mini").Single().Collected, cache.Present(keys).Count, ledger.Requests(keys).Values.Select(r => r.ErrorKind).OfType<string>().SingleOrDefault()));
        };
        var runner = NewRunner(batch, temp, out var disposables);
        InferenceSummary summary;
        using (disposables)
        using (var file = new RecordFile(temp.File("out.jsonl")))
        {
            summary = await runner.RunAsync(() => InferenceTask.For(Items(3), [Hate], false), file, TestContext.Current.CancellationToken);
        }

        ResponseCacheTests.ClearSqlitePools();

        // Then the upload, the output and the error file are deleted, each after both downloads, and at each deletion
        // the batch is already collected with its 2 answers in the cache and its refusal in the ledger
        Assert.Equal(["file-1", "file-out-batch_1", "file-err-batch_1"], batch.Deleted);
        Assert.Equal(3, runner.Progress.DeletedFiles);
        Assert.Equal([(true, 2, "refused"), (true, 2, "refused"), (true, 2, "refused")], seen);
        var requests = batch.Server.Requests.ToList();
        Assert.True(requests.FindLastIndex(r => r.Path.EndsWith("/content", StringComparison.Ordinal)) < requests.FindIndex(r => r.Method == "DELETE"));
        Assert.Equal(3, summary.Written);
        using var after = new BatchLedger(temp.File("cache.db"));
        Assert.Empty(after.FilesToDelete("openai", endpoint));
    }

    [Fact]
    public async Task RunAsync_DeletionFails_OneLinePerFileAndTheRunSucceeds_ThenTheNextRunDeletes()
    {
        // Given a server whose deletions fail (HTTP 500)
        using var temp = new TempDir();
        await using var batch = new FakeBatchServer { DeleteStatus = _ => 500 };
        var log = new List<string>();

        var summary = await RunBatch(batch, temp, Items(2), [Hate], "out.jsonl", log: log);

        // Then each failed deletion is one line, and the run writes every record without a failure
        Assert.Equal(2, summary.Written);
        Assert.Equal(0, summary.Failed);
        Assert.Empty(batch.Deleted);
        Assert.Equal(
            ["batch: cannot delete file file-1 at openai (HTTP 500: storage unavailable); the next run tries again", "batch: cannot delete file file-out-batch_1 at openai (HTTP 500: storage unavailable); the next run tries again"],
            log.Where(l => l.Contains("delete", StringComparison.Ordinal)));

        // When the next run starts and the server deletes again
        ResponseCacheTests.ClearSqlitePools();
        batch.DeleteStatus = _ => 200;
        summary = await RunBatch(batch, temp, Items(2), [Hate], "out.jsonl");

        // Then it deletes both files, and submits nothing
        Assert.Equal(["file-1", "file-out-batch_1"], batch.Deleted);
        Assert.Equal(1, batch.Creates);
        Assert.Equal(0, summary.Written);
    }

    [Fact]
    public async Task RunAsync_KilledAfterCollectingBeforeDeleting_TheNextRunDeletesTheFilesFirst()
    {
        // Given a run killed after its batch was collected (results stored) but before its files were deleted
        using var temp = new TempDir();
        await using var batch = new FakeBatchServer();
        var items = Items(3);
        await KillFirstRun(batch, temp, items, Kill.BeforeDelete);
        Assert.Empty(batch.DeleteRequests);

        // When the run starts again
        var summary = await RunBatch(batch, temp, items, [Hate], "out.jsonl");

        // Then it deletes the files the first run left, writes every record from the cache, and submits nothing
        Assert.Equal(["file-1", "file-out-batch_1"], batch.Deleted);
        Assert.Equal(1, batch.Creates);
        Assert.Equal(3, summary.Written);
        Assert.Equal(3, summary.CacheHits);
    }

    [Theory]
    [InlineData("completed", 2)]
    [InlineData("expired", 3)]
    public async Task RunAsync_RoundLeavesNothingToResubmit_BuildsTheRequestsOnlyOnceMoreToWrite(string firstOutcome, int passes)
    {
        // Given a first batch that completes (every request answered) or expires with 2 of its 4 requests answered
        using var temp = new TempDir();
        await using var batch = new FakeBatchServer { Outcome = (number, total) => number == 1 ? (firstOutcome, firstOutcome == "expired" ? 2 : total) : ("completed", total) };
        var built = 0;
        var runner = NewRunner(batch, temp, out var disposables);
        InferenceSummary summary;
        using (disposables)
        using (var file = new RecordFile(temp.File("out.jsonl")))
        {
            summary = await runner.RunAsync(
                () =>
                {
                    built++;
                    return InferenceTask.For(Items(4), [Hate], false);
                },
                file,
                TestContext.Current.CancellationToken);
        }

        // Then the tasks are walked once per round that submits something and once to write: a round after one that
        // left nothing to submit again would walk (and build) every request to submit none
        Assert.Equal(passes, built);
        Assert.Equal(passes - 1, batch.Creates);
        Assert.Equal(4, summary.Written);
    }

    [Fact]
    public async Task RunAsync_CreationAnswerLost_LooksTheBatchUpInsteadOfCreatingItTwice()
    {
        // Given a server that creates the batch but whose answer is lost (503 on the way back)
        using var temp = new TempDir();
        await using var batch = new FakeBatchServer { LoseCreateAnswers = 1 };

        var summary = await RunBatch(batch, temp, Items(2), [Hate], "out.jsonl");

        // Then the retry finds the created batch by name: one batch, both records answered
        Assert.Equal(1, batch.Creates);
        Assert.Equal(1, batch.Lists);
        Assert.Equal(2, summary.Written);
        Assert.Equal(0, summary.Failed);
    }

    [Fact]
    public async Task RunAsync_SecondResultForOneRequest_IsCountedAndWrittenOnce()
    {
        using var temp = new TempDir();
        await using var batch = new FakeBatchServer { RepeatFirstLine = true };
        var runner = NewRunner(batch, temp, out var disposables);
        InferenceSummary summary;
        using (disposables)
        using (var file = new RecordFile(temp.File("out.jsonl")))
        {
            summary = await runner.RunAsync(() => InferenceTask.For(Items(3), [Hate], false), file, TestContext.Current.CancellationToken);
        }

        Assert.Equal(1, runner.Progress.Duplicates);
        Assert.Equal(3, runner.Progress.Answers);
        Assert.Equal(3, summary.Written);
        Assert.Equal(["i0/H", "i1/H", "i2/H"], ReadRecords(temp.File("out.jsonl")).Select(r => r.Id).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task FindAsync_OpenAiList_FollowsPagesAndReturnsNullForAnUnknownName()
    {
        // Given three batches created under three names (the fake lists one a page, newest first)
        await using var batch = new FakeBatchServer();
        using var temp = new TempDir();
        var transport = new OpenAiBatchTransport(batch.Server.BaseUrl, "sk-test-key-0001", Http, new InstantTimeProvider());
        var file = temp.File("b.jsonl");
        await File.WriteAllTextAsync(file, "{\"custom_id\":\"k\",\"method\":\"POST\",\"url\":\"/v1/chat/completions\",\"body\":{}}\n", TestContext.Current.CancellationToken);
        foreach (var name in new[] { "lpp-a", "lpp-b", "lpp-c" })
        {
            await transport.CreateAsync(file, await transport.UploadAsync(file, 1, name, TestContext.Current.CancellationToken), 1, name, TestContext.Current.CancellationToken);
        }

        // Then the oldest is found on the third page, and a name never used is not found
        Assert.Equal("batch_1", await transport.FindAsync("lpp-a", null, batch.FakeClock, TestContext.Current.CancellationToken));
        Assert.Equal(3, batch.Lists);
        Assert.Null(await transport.FindAsync("lpp-z", null, batch.FakeClock, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task FindAsync_OpenAiList_StopsAtBatchesOlderThanTheRun()
    {
        // Given batches the list says were created two hours before the run started
        await using var batch = new FakeBatchServer();
        using var temp = new TempDir();
        var transport = new OpenAiBatchTransport(batch.Server.BaseUrl, null, Http, new InstantTimeProvider());
        var file = temp.File("b.jsonl");
        await File.WriteAllTextAsync(file, "{\"custom_id\":\"k\",\"method\":\"POST\",\"url\":\"/v1/chat/completions\",\"body\":{}}\n", TestContext.Current.CancellationToken);
        await transport.CreateAsync(file, "file-x", 1, "lpp-a", TestContext.Current.CancellationToken);
        await transport.CreateAsync(file, "file-y", 1, "lpp-b", TestContext.Current.CancellationToken);

        // Then looking for an unknown name reads one page and stops (no walk through the whole history)
        Assert.Null(await transport.FindAsync("lpp-z", null, batch.FakeClock.AddHours(2), TestContext.Current.CancellationToken));
        Assert.Equal(1, batch.Lists);
    }

    [Fact]
    public async Task FindAsync_GeminiList_MatchesTheDisplayNameAcrossPagesAndRefusesAForeignName()
    {
        // Given a Gemini list of two pages; the second holds the batch, and one entry has a name outside batches/
        await using var server = new LoopbackServer((request, _) => request.Path.Contains("pageToken=p2", StringComparison.Ordinal)
            ? Reply.Json("""{"operations":[{"name":"../files/secret","metadata":{"displayName":"lpp-x"}},{"name":"batches/b7","metadata":{"@type":"type.googleapis.com/google.ai.generativelanguage.v1main.GenerateContentBatch","displayName":"lpp-x","state":"BATCH_STATE_RUNNING"}}]}""")
            : Reply.Json("""{"operations":[{"name":"batches/b1","metadata":{"displayName":"other"}}],"nextPageToken":"p2"}"""));
        var transport = new GeminiBatchTransport(new GeminiProviderOptions { Model = "gemini-2.0-flash", ApiKey = "g-key", BaseUrl = server.BaseUrl }, Http, new InstantTimeProvider());

        var found = await transport.FindAsync("lpp-x", null, DateTimeOffset.UnixEpoch, TestContext.Current.CancellationToken);
        var missing = await transport.FindAsync("lpp-y", null, DateTimeOffset.UnixEpoch, TestContext.Current.CancellationToken);

        Assert.Equal("batches/b7", found);
        Assert.Null(missing);
        Assert.All(server.Requests, r => Assert.Contains("/batches?pageSize=100", r.Path, StringComparison.Ordinal));
    }

    /// <summary>Runs a batch over <paramref name="items"/> whose transport's process dies at <paramref name="at"/>.</summary>
    private static async Task KillFirstRun(FakeBatchServer batch, TempDir temp, InferenceItem[] items, Kill at)
    {
        using (var file = new RecordFile(temp.File("out.jsonl")))
        {
            var first = NewRunner(batch, temp, out var disposables, wrap: t => new Killed(t, at));
            using (disposables)
            {
                await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first.RunAsync(() => InferenceTask.For(items, [Hate], false), file, TestContext.Current.CancellationToken));
            }
        }

        ResponseCacheTests.ClearSqlitePools();
    }

    internal static OpenAiChatProvider Provider(Uri baseUrl) =>
        new(new OpenAiProviderOptions { Model = "gpt-4o-mini", ApiKey = "sk-test-key-0001", BaseUrl = baseUrl }, Http);

    private static BatchRunner NewRunner(FakeBatchServer batch, TempDir temp, out CompositeDisposable disposables, BatchOptions? options = null, Action<string>? log = null, Func<IBatchTransport, IBatchTransport>? wrap = null, InstantTimeProvider? time = null)
    {
        wrap ??= t => t;
        var cache = new ResponseCache(temp.File("cache.db"));
        var ledger = new BatchLedger(temp.File("cache.db"));
        disposables = new CompositeDisposable(cache, ledger);
        time ??= new InstantTimeProvider();
        return new BatchRunner(
            Provider(batch.Server.BaseUrl),
            wrap(new OpenAiBatchTransport(batch.Server.BaseUrl, "sk-test-key-0001", Http, time)),
            options ?? new BatchOptions { PollInterval = TimeSpan.FromSeconds(30), WorkFolder = temp.Path },
            Options,
            new PromptBuilder(PromptTemplates.Default, false),
            cache,
            ledger,
            time,
            log);
    }

    private static async Task<InferenceSummary> RunBatch(FakeBatchServer batch, TempDir temp, InferenceItem[] items, Concept[] concepts, string output, BatchOptions? options = null, List<string>? log = null, InstantTimeProvider? time = null)
    {
        var runner = NewRunner(batch, temp, out var disposables, options, log is null ? null : line => { lock (log) { log.Add(line); } }, time: time);
        using (disposables)
        using (var file = new RecordFile(temp.File(output)))
        {
            return await runner.RunAsync(() => InferenceTask.For(items, concepts, false), file, TestContext.Current.CancellationToken);
        }
    }

    private static List<DecisionRecord> ReadRecords(string path) =>
        [.. DecisionRecordReader.Read(path).Select(r => r.Record ?? throw new InvalidOperationException(r.Rejection!.Reason))];

    /// <summary>Where a <see cref="Killed"/> transport's process dies.</summary>
    private enum Kill
    {
        BeforeUpload,
        BeforeCreate,
        AfterCreate,
        BeforeDelete,
    }

    /// <summary>A transport whose process dies at a given step: uploading, creating (before or after the provider created the batch), deleting.</summary>
    private sealed class Killed(IBatchTransport inner, Kill at) : IBatchTransport
    {
        public int MaxRequests => inner.MaxRequests;

        public long MaxBytes => inner.MaxBytes;

        public bool DeletesFiles => inner.DeletesFiles;

        public int WriteRequest(Stream file, string key, string requestBody, bool first) => inner.WriteRequest(file, key, requestBody, first);

        public Task<string?> UploadAsync(string file, int requests, string name, CancellationToken cancellationToken) =>
            at == Kill.BeforeUpload ? throw new OperationCanceledException("killed") : inner.UploadAsync(file, requests, name, cancellationToken);

        public async Task<string> CreateAsync(string file, string? inputFile, int requests, string name, CancellationToken cancellationToken)
        {
            if (at == Kill.AfterCreate)
            {
                await inner.CreateAsync(file, inputFile, requests, name, cancellationToken);
            }

            return at is Kill.AfterCreate or Kill.BeforeCreate ? throw new OperationCanceledException("killed") : await inner.CreateAsync(file, inputFile, requests, name, cancellationToken);
        }

        public Task<string?> FindAsync(string name, string? inputFile, DateTimeOffset since, CancellationToken cancellationToken) => inner.FindAsync(name, inputFile, since, cancellationToken);

        public Task<BatchState> PollAsync(string batchId, CancellationToken cancellationToken) => inner.PollAsync(batchId, cancellationToken);

        public IAsyncEnumerable<BatchResult> ResultsAsync(BatchState state, CancellationToken cancellationToken) => inner.ResultsAsync(state, cancellationToken);

        public Task<bool> DeleteFileAsync(string fileId, CancellationToken cancellationToken) =>
            at == Kill.BeforeDelete ? throw new OperationCanceledException("killed") : inner.DeleteFileAsync(fileId, cancellationToken);
    }

    internal sealed class CompositeDisposable(params IDisposable[] items) : IDisposable
    {
        public void Dispose()
        {
            foreach (var item in items)
            {
                item.Dispose();
            }
        }
    }

    [Fact]
    public async Task RunAsync_GeminiInlineBatch_MapsAnswersByKeyAndRecordsAPerRequestError()
    {
        // Given a Gemini batch server answering inline, out of order, with a per-request error for the first request,
        // and spelling the final state the older way (JOB_STATE_SUCCEEDED)
        using var temp = new TempDir();
        var polls = 0;
        List<string>? keys = null;
        await using var server = new LoopbackServer((request, _) =>
        {
            if (request.Method == "POST" && request.Path.EndsWith("models/gemini-2.0-flash:batchGenerateContent", StringComparison.Ordinal))
            {
                using var doc = JsonDocument.Parse(request.Body);
                var requests = doc.RootElement.GetProperty("batch").GetProperty("input_config").GetProperty("requests").GetProperty("requests");
                keys = [.. requests.EnumerateArray().Select(r => r.GetProperty("metadata").GetProperty("key").GetString()!)];
                Assert.All(requests.EnumerateArray(), r => Assert.True(r.GetProperty("request").TryGetProperty("generationConfig", out JsonElement _)));
                return Reply.Json("""{"name":"batches/b1","metadata":{"state":"BATCH_STATE_PENDING"}}""");
            }

            if (request.Method == "GET" && request.Path.EndsWith("/batches/b1", StringComparison.Ordinal))
            {
                if (Interlocked.Increment(ref polls) == 1)
                {
                    return Reply.Json("""{"name":"batches/b1","metadata":{"state":"BATCH_STATE_RUNNING"},"done":false}""");
                }

                var answers = keys!.Select((k, i) => i == 0
                    ? $$$"""{"error":{"code":400,"message":"blocked"},"metadata":{"key":"{{{k}}}"}}"""
                    : $$$"""{"response":{{{Bodies.Gemini(Bodies.Direct1)}}},"metadata":{"key":"{{{k}}}"}}""").Reverse();
                return Reply.Json("""{"name":"batches/b1","metadata":{"state":"JOB_STATE_SUCCEEDED"},"done":true,"response":{"inlinedResponses":{"inlinedResponses":[""" + string.Join(',', answers) + "]}}}");
            }

            return new Reply(404, """{"error":{"message":"unexpected"}}""");
        });
        var time = new InstantTimeProvider();
        var options = new GeminiProviderOptions { Model = "gemini-2.0-flash", ApiKey = "g-key", BaseUrl = server.BaseUrl };
        var provider = new GeminiChatProvider(options, Http, time);
        InferenceSummary summary;
        using (var cache = new ResponseCache(temp.File("cache.db")))
        using (var ledger = new BatchLedger(temp.File("cache.db")))
        using (var file = new RecordFile(temp.File("out.jsonl")))
        {
            var runner = new BatchRunner(provider, new GeminiBatchTransport(options, Http, time), new BatchOptions { WorkFolder = temp.Path }, Options, new PromptBuilder(PromptTemplates.Default, false), cache, ledger, time);
            summary = await runner.RunAsync(() => InferenceTask.For(Items(3), [Hate], false), file, TestContext.Current.CancellationToken);
        }

        // Then the first request's record is refused with the provider's message and the others are answered
        Assert.Equal(3, summary.Written);
        Assert.Equal(1, summary.Refused);
        var records = ReadRecords(temp.File("out.jsonl")).ToDictionary(r => r.Id);
        Assert.Equal("batch: HTTP 400: blocked", records["i0/H"].NoAnswer);
        Assert.Equal("1", records["i1/H"].Output.Outcome);
        Assert.Equal("1", records["i2/H"].Output.Outcome);
        Assert.Equal("g-key", server.Requests.First().Headers["x-goog-api-key"]);
    }
}
