using System.Text.Json;

namespace Lpp.Inference.Tests;

public sealed class InferenceRunnerTests
{
    private static readonly Concept Hate = ModerationDataset.Concepts[1];
    private static readonly Concept Violence = ModerationDataset.Concepts[2];

    private static readonly InferenceOptions Fast = new()
    {
        Parallel = 2,
        RetryBaseDelay = TimeSpan.FromSeconds(1),
        AttemptTimeout = TimeSpan.FromSeconds(30),
    };

    [Fact]
    public async Task RunAsync_Items_WritesDecisionRecordsWithSignalsAndTheRawResponse()
    {
        // Given two items, one labelled for H only, and a server answering outcome 1 at 87%
        using var temp = new TempDir();
        await using var server = new LoopbackServer((_, _) => Reply.Json(Bodies.OpenAi(Bodies.Direct1)));
        var items = new[]
        {
            new InferenceItem { Id = "post-1", Text = "I hate them", Language = "en", Labels = new Dictionary<string, int> { ["H"] = 1 } },
            new InferenceItem { Id = "post-2", Text = "nice day" },
        };

        // When every (item, concept) pair runs
        var summary = await Run(server, InferenceTask.For(items, [Hate, Violence], knownOnly: false), temp.File("out.jsonl"));

        // Then four records are written, readable by the core library, with the contract fields
        Assert.Equal(4, summary.Written);
        Assert.Equal(4, summary.Calls);
        Assert.Equal(1200, summary.PromptTokens);
        var records = DecisionRecordReader.Read(temp.File("out.jsonl")).Select(r => r.Record ?? throw new InvalidOperationException(r.Rejection!.Reason)).ToDictionary(r => r.Id);
        Assert.Equal(["post-1/H", "post-1/V", "post-2/H", "post-2/V"], records.Keys.Order(StringComparer.Ordinal));
        var first = records["post-1/H"];
        Assert.Equal("H", first.Source["concept"]);
        Assert.Equal("gpt-4o-mini", first.Source["model"]);
        Assert.Equal("openai", first.Source["provider"]);
        Assert.Equal("en", first.Source["language"]);
        Assert.Equal(LabelSchema.Moderation, first.Schema);
        Assert.Equal("1", first.Truth);
        Assert.Null(records["post-1/V"].Truth);
        Assert.Equal("1", first.Output.Outcome);
        Assert.Equal(85, first.Output.VerbalizedConfidence);
        Assert.Equal(ConfidenceBand.VH, first.Output.Band);
        Assert.Equal(["1", "0", "2", "3", " "], first.Output.OutcomeTopLogprobs!.Select(a => a.Token));
        Assert.True(first.Correct);

        using var line = JsonDocument.Parse(File.ReadLines(temp.File("out.jsonl")).First());
        Assert.Equal("chatcmpl-test", line.RootElement.GetProperty("response").GetProperty("id").GetString());
        Assert.Equal(JsonValueKind.Null, line.RootElement.GetProperty("error").ValueKind);
        Assert.Equal("evidence", line.RootElement.GetProperty("abstain_labels").GetProperty("2").GetString());
    }

    [Fact]
    public async Task RunAsync_InvalidAnswerThenValid_RetriesWithTheReason()
    {
        using var temp = new TempDir();
        await using var server = new LoopbackServer((_, n) => Reply.Json(Bodies.OpenAi(n <= 2 ? Bodies.DirectAnswer(7) : Bodies.DirectAnswer(0))));

        var summary = await Run(server, One(), temp.File("out.jsonl"));

        Assert.Equal(2, summary.AnswerRetries);
        Assert.Equal(0, summary.Invalid);
        Assert.Equal("0", ReadRecords(temp.File("out.jsonl")).Single().Output.Outcome);
        var third = server.Requests.ElementAt(2).Body;
        Assert.Contains("Your answer was invalid: outcome 7 is not 0, 1, 2 or 3.", third, StringComparison.Ordinal);
        Assert.Equal(6, JsonDocument.Parse(third).RootElement.GetProperty("messages").GetArrayLength());
    }

    [Fact]
    public async Task RunAsync_AnswerStaysInvalid_WritesOutcomeNullWithTheReason()
    {
        using var temp = new TempDir();
        await using var server = new LoopbackServer((_, _) => Reply.Json(Bodies.OpenAi(Bodies.DirectAnswer(1, band: "XXL"))));

        var summary = await Run(server, One(), temp.File("out.jsonl"));

        Assert.Equal(4, summary.Calls);
        Assert.Equal(1, summary.Invalid);
        using var line = JsonDocument.Parse(File.ReadAllLines(temp.File("out.jsonl")).Single());
        Assert.Equal(JsonValueKind.Null, line.RootElement.GetProperty("output").GetProperty("outcome").ValueKind);
        Assert.Equal("invalid answer after 3 retries: band 'XXL' is not one of VL, L, M, H, VH", line.RootElement.GetProperty("error").GetString());
    }

    [Fact]
    public async Task RunAsync_429WithRetryAfter_WaitsWhatTheServerAsked()
    {
        using var temp = new TempDir();
        var time = new InstantTimeProvider();
        await using var server = new LoopbackServer((_, n) => n == 1
            ? new Reply(429, """{"error":{"message":"slow down"}}""") { Headers = new Dictionary<string, string> { ["Retry-After"] = "17" } }
            : Reply.Json(Bodies.OpenAi(Bodies.Direct1)));

        var summary = await Run(server, One(), temp.File("out.jsonl"), time: time);

        Assert.Equal(1, summary.Retries);
        Assert.Equal(2, summary.Calls);
        Assert.Contains(TimeSpan.FromSeconds(17), time.Delays);
        Assert.Equal("1", ReadRecords(temp.File("out.jsonl")).Single().Output.Outcome);
    }

    [Theory]
    [InlineData("1e300", 120.0)]
    [InlineData("86400", 120.0)]
    [InlineData("Infinity", null)]
    [InlineData("-Infinity", null)]
    [InlineData("NaN", null)]
    [InlineData("-5", null)]
    [InlineData("soon", null)]
    public async Task RunAsync_RetryAfterOutOfRange_IsCappedOrFallsBackToBackoff(string header, double? expectedSeconds)
    {
        // Given a server whose first answer is a 429 asking for an absurd delay (the default cap is 120 s)
        using var temp = new TempDir();
        var time = new InstantTimeProvider();
        await using var server = new LoopbackServer((_, n) => n == 1
            ? new Reply(429, """{"error":{"message":"slow down"}}""") { Headers = new Dictionary<string, string> { ["Retry-After"] = header } }
            : Reply.Json(Bodies.OpenAi(Bodies.Direct1)));

        // When the run goes on
        var summary = await Run(server, One(), temp.File("out.jsonl"), time: time);

        // Then it finishes with the answer; the wait is the cap, or (unparseable) a backoff of base 1 s with jitter
        Assert.Equal(1, summary.Retries);
        Assert.Equal("1", ReadRecords(temp.File("out.jsonl")).Single().Output.Outcome);
        var delay = Assert.Single(time.Delays);
        if (expectedSeconds is { } seconds)
        {
            Assert.Equal(TimeSpan.FromSeconds(seconds), delay);
        }
        else
        {
            Assert.InRange(delay, TimeSpan.Zero, TimeSpan.FromSeconds(5));
        }
    }

    [Fact]
    public async Task RunAsync_GeminiRetryDelayOf1e300s_IsCappedAtMaxRetryDelay()
    {
        using var temp = new TempDir();
        var time = new InstantTimeProvider();
        await using var server = new LoopbackServer((_, n) => n == 1
            ? new Reply(429, """{"error":{"code":429,"message":"quota","details":[{"@type":"type.googleapis.com/google.rpc.RetryInfo","retryDelay":"1e300s"}]}}""")
            : Reply.Json(Bodies.Gemini(Bodies.Direct1)));
        var provider = new GeminiChatProvider(new GeminiProviderOptions { Model = "gemini-2.0-flash", ApiKey = "k", BaseUrl = server.BaseUrl }, Http, time);
        using (var file = new RecordFile(temp.File("out.jsonl")))
        {
            var runner = new InferenceRunner(provider, Fast with { MaxRetryDelay = TimeSpan.FromSeconds(30) }, new PromptBuilder(PromptTemplates.Default, false), null, time);
            await runner.RunAsync(One(), file, TestContext.Current.CancellationToken);
        }

        Assert.Equal(TimeSpan.FromSeconds(30), Assert.Single(time.Delays));
        Assert.Equal("1", ReadRecords(temp.File("out.jsonl")).Single().Output.Outcome);
    }

    [Fact]
    public async Task RunAsync_ItemNamingAFileOutsideTheMediaRoot_IsAFailedRecordAndTheFileIsNeverSent()
    {
        // Given an item whose thumbnail names a file outside the media root
        using var temp = new TempDir();
        Directory.CreateDirectory(temp.File("media"));
        File.WriteAllBytes(temp.File("secret.png"), [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x53, 0x45, 0x43]);
        await using var server = new LoopbackServer((_, _) => Reply.Json(Bodies.OpenAi(Bodies.Direct1)));
        var item = new InferenceItem { Id = "x", Text = "t", Thumbnail = temp.File("secret.png") };
        using (var file = new RecordFile(temp.File("out.jsonl")))
        {
            var runner = new InferenceRunner(Provider(server), Fast, new PromptBuilder(PromptTemplates.Default, false, new MediaOptions { Root = temp.File("media") }), null, new InstantTimeProvider());
            var summary = await runner.RunAsync([new InferenceTask(item, Hate)], file, TestContext.Current.CancellationToken);
            Assert.Equal(1, summary.Failed);
        }

        // Then no request was made and the record says why
        Assert.Equal(0, server.Count);
        using var line = JsonDocument.Parse(File.ReadAllLines(temp.File("out.jsonl")).Single());
        Assert.Contains("outside the media root", line.RootElement.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_SameCacheAnotherBaseUrl_CallsTheOtherServer()
    {
        // Given a cache filled from one server
        using var temp = new TempDir();
        await using var first = new LoopbackServer((_, _) => Reply.Json(Bodies.OpenAi(Bodies.Direct1)));
        await using var second = new LoopbackServer((_, _) => Reply.Json(Bodies.OpenAi(Bodies.DirectAnswer(0))));
        using var cache = new ResponseCache(temp.File("cache.db"));
        await Run(first, One(), temp.File("a.jsonl"), cache: cache);

        // When the same request goes to another base URL
        var summary = await Run(second, One(), temp.File("b.jsonl"), cache: cache);

        // Then that server is asked (no replay of the first server's answer)
        Assert.Equal(0, summary.CacheHits);
        Assert.Equal(1, second.Count);
        Assert.Equal("0", ReadRecords(temp.File("b.jsonl")).Single().Output.Outcome);
    }

    [Fact]
    public async Task RunAsync_NoServer_WritesTransportFailuresThatARerunCallsAgain()
    {
        // Given a base URL where nothing listens (a port taken from the OS, then released)
        using var temp = new TempDir();
        var output = temp.File("out.jsonl");
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var nowhere = new OpenAiChatProvider(new OpenAiProviderOptions { Model = "gpt-4o-mini", ApiKey = "k", BaseUrl = new Uri($"http://127.0.0.1:{port}/v1/") }, Http);
        InferenceSummary summary;
        using (var file = new RecordFile(output))
        {
            var runner = new InferenceRunner(nowhere, Fast with { MaxRetries = 1 }, new PromptBuilder(PromptTemplates.Default, false), null, new InstantTimeProvider());
            summary = await runner.RunAsync(One(), file, TestContext.Current.CancellationToken);
        }

        // Then the record says why, with kind transport, and holds no answer for the core library
        Assert.Equal(1, summary.Transport);
        Assert.Equal(1, summary.Failed);
        Assert.Equal("cannot reach 127.0.0.1: connection refused", Assert.Single(summary.TransportReasons).Key);
        using (var line = JsonDocument.Parse(File.ReadAllLines(output).Single()))
        {
            Assert.Equal("transport", line.RootElement.GetProperty("error_kind").GetString());
        }

        var record = ReadRecords(output).Single();
        Assert.Equal("cannot reach 127.0.0.1: connection refused", record.NoAnswer);

        // When the run is repeated against a server that answers
        await using var server = new LoopbackServer((_, _) => Reply.Json(Bodies.OpenAi(Bodies.Direct1)));
        var rerun = await Run(server, One(), output);

        // Then the pair is called again and its record replaced by the answer
        Assert.Equal(1, server.Count);
        Assert.Equal(0, rerun.Skipped);
        var answered = ReadRecords(output).Single();
        Assert.Equal("1", answered.Output.Outcome);
        Assert.Null(answered.NoAnswer);
    }

    [Fact]
    public async Task RunAsync_400_IsARefusedRecordNotAnAnswer()
    {
        using var temp = new TempDir();
        await using var server = new LoopbackServer((_, _) => new Reply(400, """{"error":{"message":"content policy"}}"""));

        var summary = await Run(server, One(), temp.File("out.jsonl"));

        Assert.Equal(1, summary.Refused);
        using var line = JsonDocument.Parse(File.ReadAllLines(temp.File("out.jsonl")).Single());
        Assert.Equal("refused", line.RootElement.GetProperty("error_kind").GetString());
        Assert.Equal("HTTP 400: content policy", ReadRecords(temp.File("out.jsonl")).Single().NoAnswer);
    }

    [Fact]
    public async Task RunAsync_5xx_BacksOffExponentiallyWithJitter()
    {
        using var temp = new TempDir();
        var time = new InstantTimeProvider();
        await using var server = new LoopbackServer((_, n) => n <= 3 ? new Reply(500, "oops") : Reply.Json(Bodies.OpenAi(Bodies.Direct1)));

        var summary = await Run(server, One(), temp.File("out.jsonl"), time: time);

        Assert.Equal(3, summary.Retries);
        var delays = time.Delays.ToArray();
        Assert.Equal(3, delays.Length);
        Assert.True(delays[2] > delays[0], string.Join(", ", delays));
        Assert.All(delays, d => Assert.InRange(d, TimeSpan.Zero, TimeSpan.FromSeconds(16)));
    }

    [Fact]
    public async Task RunAsync_ServerHangs_TimesOutAndRetries()
    {
        using var temp = new TempDir();
        await using var server = new LoopbackServer((_, n) => n == 1 ? new Reply(200, "") { Hang = true } : Reply.Json(Bodies.OpenAi(Bodies.Direct1)));

        var summary = await Run(server, One(), temp.File("out.jsonl"), Fast with { AttemptTimeout = TimeSpan.FromMilliseconds(300) }, new InstantTimeProvider());

        Assert.Equal(1, summary.Retries);
        Assert.Equal("1", ReadRecords(temp.File("out.jsonl")).Single().Output.Outcome);
    }

    [Theory]
    [InlineData("truncated")]
    [InlineData("invalid-json")]
    [InlineData("no-choices")]
    public async Task RunAsync_BrokenBody_IsRetried(string fault)
    {
        using var temp = new TempDir();
        var good = Bodies.OpenAi(Bodies.Direct1);
        await using var server = new LoopbackServer((_, n) => n > 1 ? Reply.Json(good) : fault switch
        {
            "truncated" => Reply.Json(good) with { Truncate = true },
            "invalid-json" => Reply.Json("{\"choices\": [ {\"message\": "),
            _ => Reply.Json("{\"object\":\"chat.completion\"}"),
        });

        var summary = await Run(server, One(), temp.File("out.jsonl"), time: new InstantTimeProvider());

        Assert.Equal(1, summary.Retries);
        Assert.Equal(0, summary.Failed);
        Assert.Equal("1", ReadRecords(temp.File("out.jsonl")).Single().Output.Outcome);
    }

    [Fact]
    public async Task RunAsync_AlwaysFailing_WritesTheErrorAndFinishes()
    {
        using var temp = new TempDir();
        await using var server = new LoopbackServer((r, _) => r.Body.Contains("post-2", StringComparison.Ordinal) ? new Reply(502, "bad gateway") : Reply.Json(Bodies.OpenAi(Bodies.Direct1)));
        var items = new[] { new InferenceItem { Id = "post-1", Text = "a" }, new InferenceItem { Id = "post-2", Text = "b post-2" } };

        var summary = await Run(server, InferenceTask.For(items, [Hate], false), temp.File("out.jsonl"), time: new InstantTimeProvider());

        Assert.Equal(2, summary.Written);
        Assert.Equal(1, summary.Failed);
        Assert.Equal(1 + 4, summary.Calls);
        var failed = File.ReadLines(temp.File("out.jsonl")).Select(l => JsonDocument.Parse(l)).Single(d => d.RootElement.GetProperty("id").GetString() == "post-2/H");
        Assert.Equal("HTTP 502: bad gateway", failed.RootElement.GetProperty("error").GetString());
        Assert.Equal(JsonValueKind.Null, failed.RootElement.GetProperty("response").ValueKind);
    }

    [Fact]
    public async Task RunAsync_400_IsNotRetried()
    {
        using var temp = new TempDir();
        await using var server = new LoopbackServer((_, _) => new Reply(400, """{"error":{"message":"Invalid image URL"}}"""));

        var summary = await Run(server, One(), temp.File("out.jsonl"), time: new InstantTimeProvider());

        Assert.Equal(1, summary.Calls);
        Assert.Equal(0, summary.Retries);
        Assert.Equal(1, summary.Failed);
    }

    [Fact]
    public async Task RunAsync_401_StopsTheRun()
    {
        using var temp = new TempDir();
        await using var server = new LoopbackServer((_, _) => new Reply(401, """{"error":{"message":"Incorrect API key provided"}}"""));

        var e = await Assert.ThrowsAsync<InferenceStoppedException>(() => Run(server, One(), temp.File("out.jsonl")));

        Assert.Equal("openai rejected the request (HTTP 401: Incorrect API key provided)", e.Message);
        Assert.Empty(File.ReadAllText(temp.File("out.jsonl")));
    }

    [Fact]
    public async Task RunAsync_NullLogprobs_WritesTheAnswerWithoutThem()
    {
        using var temp = new TempDir();
        await using var server = new LoopbackServer((_, _) => Reply.Json(Bodies.OpenAi(Bodies.Direct1, withLogprobs: false)));

        await Run(server, One(), temp.File("out.jsonl"));

        var record = ReadRecords(temp.File("out.jsonl")).Single();
        Assert.Equal("1", record.Output.Outcome);
        Assert.Null(record.Output.OutcomeTopLogprobs);
    }

    [Fact]
    public async Task RunAsync_LogprobsRefused_StopsWithTheProviderMessage()
    {
        using var temp = new TempDir();
        await using var server = new LoopbackServer((_, _) => new Reply(400, """{"error":{"message":"This model is not allowed to request logprobs."}}"""));

        var e = await Assert.ThrowsAsync<InferenceStoppedException>(() => Run(server, One(), temp.File("out.jsonl")));

        Assert.Contains("This model is not allowed to request logprobs.", e.Message, StringComparison.Ordinal);
        Assert.Contains("--allow-no-logprobs", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_LogprobsRefusedButOptional_ContinuesWithoutThem()
    {
        using var temp = new TempDir();
        await using var server = new LoopbackServer((r, _) => r.Body.Contains("\"logprobs\":true", StringComparison.Ordinal)
            ? new Reply(400, """{"error":{"message":"This model is not allowed to request logprobs."}}""")
            : Reply.Json(Bodies.OpenAi(Bodies.Direct1, withLogprobs: false)));

        var summary = await Run(server, One(), temp.File("out.jsonl"), Fast with { AllowNoLogprobs = true });

        Assert.Equal(1, summary.WithoutLogprobs);
        Assert.Equal(2, summary.Calls);
        Assert.Null(ReadRecords(temp.File("out.jsonl")).Single().Output.OutcomeTopLogprobs);
        Assert.DoesNotContain("top_logprobs", server.Requests.Last().Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_Rerun_MakesZeroCalls()
    {
        // Given a finished run with a response cache
        using var temp = new TempDir();
        await using var server = new LoopbackServer((_, _) => Reply.Json(Bodies.OpenAi(Bodies.Direct1)));
        var items = Enumerable.Range(0, 5).Select(i => new InferenceItem { Id = $"i{i}", Text = $"text {i}" }).ToArray();
        using (var cache = new ResponseCache(temp.File("cache.db")))
        {
            await Run(server, InferenceTask.For(items, [Hate], false), temp.File("out.jsonl"), cache: cache);
        }

        // When the same run is repeated into the same output, and into a new output with the same cache
        using var again = new ResponseCache(temp.File("cache.db"));
        var same = await Run(server, InferenceTask.For(items, [Hate], false), temp.File("out.jsonl"), cache: again);
        var fresh = await Run(server, InferenceTask.For(items, [Hate], false), temp.File("out2.jsonl"), cache: again);

        // Then no call is made: finished items are skipped, cached responses reused
        Assert.Equal(5, server.Count);
        Assert.Equal(5, same.Skipped);
        Assert.Equal(0, same.Calls);
        Assert.Equal(5, fresh.CacheHits);
        Assert.Equal(0, fresh.Calls);
        Assert.Equal(File.ReadAllLines(temp.File("out.jsonl")).Order(StringComparer.Ordinal), File.ReadAllLines(temp.File("out2.jsonl")).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task RunAsync_KilledMidRun_ResumesWithNoItemLostOrCalledTwice()
    {
        // Given a run killed at the worst moment: a response received and cached, its record not yet written, and a
        // torn half line at the end of the output
        using var temp = new TempDir();
        var output = temp.File("out.jsonl");
        await using var server = new LoopbackServer((_, _) => Reply.Json(Bodies.OpenAi(Bodies.Direct1)));
        var items = Enumerable.Range(0, 12).Select(i => new InferenceItem { Id = $"i{i}", Text = $"text {i}" }).ToArray();
        using (var cache = new ResponseCache(temp.File("cache.db")))
        using (var file = new RecordFile(output))
        {
            var runner = new InferenceRunner(Provider(server), Fast with { Parallel = 1 }, new PromptBuilder(PromptTemplates.Default, false), cache);
            await Assert.ThrowsAsync<SimulatedKillException>(() => runner.RunAsync(InferenceTask.For(items, [Hate], false), new KillingSink(file, killAtWrite: 5), TestContext.Current.CancellationToken));
        }

        File.AppendAllText(output, "{\"id\":\"i5/H\",\"source\":{\"conc");

        // When the run is resumed
        ResponseCacheTests.ClearSqlitePools();
        using (var cache = new ResponseCache(temp.File("cache.db")))
        {
            await Run(server, InferenceTask.For(items, [Hate], false), output, Fast with { Parallel = 3 }, cache: cache);
        }

        // Then every item is in the output exactly once and the server saw each item exactly once
        var ids = ReadRecords(output).Select(r => r.Id).ToList();
        Assert.Equal(12, ids.Count);
        Assert.Equal(12, ids.Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(12, server.Count);
        var prompts = server.Requests.Select(r => JsonDocument.Parse(r.Body).RootElement.GetProperty("messages")[1].GetProperty("content").GetString()).ToList();
        Assert.Equal(12, prompts.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public async Task RunAsync_ApiKey_NeverAppearsInTheOutput()
    {
        const string key = "sk-proj-SECRET-abcdef123456";
        using var temp = new TempDir();
        await using var server = new LoopbackServer((r, _) => new Reply(500, "{\"error\":{\"message\":\"failure for key " + r.Headers["Authorization"][7..] + "\"}}"));
        var provider = new OpenAiChatProvider(new OpenAiProviderOptions { Model = "gpt-4o-mini", ApiKey = key, BaseUrl = server.BaseUrl }, Http);
        using (var file = new RecordFile(temp.File("out.jsonl")))
        {
            var runner = new InferenceRunner(provider, Fast, new PromptBuilder(PromptTemplates.Default, false), null, new InstantTimeProvider());
            await runner.RunAsync(One(), file, TestContext.Current.CancellationToken);
        }

        var text = File.ReadAllText(temp.File("out.jsonl"));
        Assert.Contains("failure for key [redacted]", text, StringComparison.Ordinal);
        Assert.DoesNotContain(key, text, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_BadOptions_NamesTheOption()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new InferenceRunner(new OpenAiChatProvider(new OpenAiProviderOptions { Model = "m" }, Http), new InferenceOptions { Parallel = 0 }, new PromptBuilder(PromptTemplates.Default, false)));

        Assert.StartsWith("parallel must be in [1, 1024]", e.Message, StringComparison.Ordinal);
    }

    private static readonly HttpClient Http = new();

    internal static OpenAiChatProvider Provider(LoopbackServer server) =>
        new(new OpenAiProviderOptions { Model = "gpt-4o-mini", ApiKey = "sk-test-key-0001", BaseUrl = server.BaseUrl }, Http);

    private static IEnumerable<InferenceTask> One() => [new InferenceTask(new InferenceItem { Id = "post-1", Text = "some text" }, Hate)];

    private static async Task<InferenceSummary> Run(LoopbackServer server, IEnumerable<InferenceTask> tasks, string output, InferenceOptions? options = null, TimeProvider? time = null, ResponseCache? cache = null)
    {
        using var file = new RecordFile(output);
        var runner = new InferenceRunner(Provider(server), options ?? Fast, new PromptBuilder(PromptTemplates.Default, false), cache, time ?? new InstantTimeProvider());
        return await runner.RunAsync(tasks, file, TestContext.Current.CancellationToken);
    }

    private static List<DecisionRecord> ReadRecords(string path) =>
        [.. DecisionRecordReader.Read(path).Select(r => r.Record ?? throw new InvalidOperationException(r.Rejection!.Reason))];

    private sealed class SimulatedKillException : Exception;

    private sealed class KillingSink(RecordFile inner, int killAtWrite) : IRecordSink
    {
        private int _writes;

        public bool Contains(string recordId) => inner.Contains(recordId);

        public void Write(DecisionRecord record, RecordError? error, string? response)
        {
            if (Interlocked.Increment(ref _writes) == killAtWrite)
            {
                throw new SimulatedKillException();
            }

            inner.Write(record, error, response);
        }
    }
}
