using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Lpp.Serving.Tests;

/// <summary>
/// Models and records for the serve tests, made once per test run: model A (paper cost, c_review 0.64) and model B
/// (c_review 0.3, so another τ and checksum), both trained on gpt-4o/boolq; the records are that file's first lines
/// plus an evidence abstention, a definition abstention and an unparseable answer. The keys file, <see cref="HandModel"/>
/// and <see cref="HandRecords"/> need no ../shared, so tests that only need some model (the auth matrix) run anywhere.
/// </summary>
public static class ServeTestData
{
    public const string RouteKey = "route-key-1";
    public const string ReviewKey = "review-key-1";
    public const string AdminKey = "admin-key-1";
    public const string AdminOnlyKey = "admin-only-key-1";
    public const string AliceKey = "alice-key-1";

    private static readonly Lazy<Data> Made = new(Make);

    private static readonly Lazy<string> Keys = new(MakeKeys);

    private static readonly Lazy<string> Hand = new(MakeHandModel);

    public static string ModelA => Get().ModelA;

    public static byte[] ModelBBytes => File.ReadAllBytes(Get().ModelB);

    public static string ModelBPath => Get().ModelB;

    public static string KeysFile => Keys.Value;

    /// <summary>
    /// The file of <see cref="HandModels.Verbalized"/> at τ 0.68 (no training, no ../shared): an answer with verbalized
    /// confidence v scores 1 / (1 + exp(-(v - 0.5))).
    /// </summary>
    public static string HandModel => Hand.Value;

    /// <summary>Two moderation decisions for <see cref="HandModel"/>: v = 0.95 (scores 0.61) and v = 0.30 (0.45).</summary>
    public static IReadOnlyList<string> HandRecords { get; } =
    [
        """{"id": "hand/1", "labels": ["0", "1"], "abstain_labels": {"2": "evidence", "3": "definition"}, "output": {"outcome": "1", "verbalized_confidence": 95}}""",
        """{"id": "hand/2", "labels": ["0", "1"], "abstain_labels": {"2": "evidence", "3": "definition"}, "output": {"outcome": "0", "verbalized_confidence": 30}}""",
    ];

    public static IReadOnlyList<string> Records => Get().Records;

    public static string RecordsFile => Get().RecordsFile;

    public static string Folder => Get().Folder;

    /// <summary>A client for <paramref name="baseUrl"/> sending <paramref name="key"/> as a bearer token (none when null).</summary>
    public static HttpClient Client(string baseUrl, string? key = null)
    {
        var client = new HttpClient { BaseAddress = new Uri(baseUrl), Timeout = TimeSpan.FromSeconds(30) };
        if (key is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        return client;
    }

    public static StringContent Json(string text) => new(text, Encoding.UTF8, "application/json");

    private static Data Get()
    {
        SharedData.Path("data/llm-confidence/gpt-4o/boolq.jsonl");
        return Made.Value;
    }

    private static Data Make()
    {
        var input = SharedData.Path("data/llm-confidence/gpt-4o/boolq.jsonl");
        var folder = NewFolder();
        var read = DecisionRecordReader.ReadValid(input).ToList();
        var data = TrainingSet.From(read, new LppFeatureExtractor());
        var modelA = Path.Combine(folder, "model-a.json");
        var modelB = Path.Combine(folder, "model-b.json");
        // Both carry the training shape `lpp train` records, so the service's shape check applies as in production.
        var a = new EscalationTrainer().Fit(data);
        var b = new EscalationTrainer(new EscalationTrainerOptions { Cost = new CostModel(CostForm.Paper, 1, 0.3) }).Fit(data);
        Write(a.WithTrainingShape(TrainingShape.Of(read, a.FeatureNames)), modelA);
        Write(b.WithTrainingShape(TrainingShape.Of(read, b.FeatureNames)), modelB);

        var records = File.ReadLines(input).Take(200).ToList();
        var template = JsonNode.Parse(records[0])!.AsObject();
        records.Add(Variant(template, "abstain/evidence", "Uncertain"));
        records.Add(Variant(template, "abstain/definition", "It depends"));
        records.Add(Variant(template, "invalid/1", null));
        var recordsFile = Path.Combine(folder, "records.jsonl");
        File.WriteAllLines(recordsFile, records);

        return new Data(folder, modelA, modelB, records, recordsFile);
    }

    private static string MakeKeys()
    {
        var keys = Path.Combine(NewFolder(), "keys.json");
        File.WriteAllText(keys, $$"""
            {"keys": [
              {"name": "router", "sha256": "{{ApiKeys.Hash(RouteKey)}}", "scopes": ["route"]},
              {"name": "reviewer", "sha256": "{{ApiKeys.Hash(ReviewKey)}}", "scopes": ["review"]},
              {"name": "admin", "sha256": "{{ApiKeys.Hash(AdminKey)}}", "scopes": ["admin", "route", "review"]},
              {"name": "operator", "sha256": "{{ApiKeys.Hash(AdminOnlyKey)}}", "scopes": ["admin"]},
              {"name": "alice-desk", "sha256": "{{ApiKeys.Hash(AliceKey)}}", "scopes": ["review"], "reviewers": ["alice", "alice.backup"]}
            ]}
            """);
        return keys;
    }

    private static string MakeHandModel()
    {
        var model = HandModels.Verbalized(tau: 0.68);
        var path = Path.Combine(NewFolder(), "hand-model.json");
        Write(model, path);
        return path;
    }

    private static string NewFolder()
    {
        var folder = Path.Combine(Path.GetTempPath(), "lpp-serve-tests-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        return folder;
    }

    private static string Variant(JsonObject template, string id, string? outcome)
    {
        var copy = JsonNode.Parse(template.ToJsonString())!.AsObject();
        copy["id"] = id;
        copy["output"]!["outcome"] = outcome;
        copy["output"]!["raw_answer"] = outcome ?? "no idea";
        return copy.ToJsonString(new JsonSerializerOptions { WriteIndented = false });
    }

    private static void Write(EscalationModel model, string path)
    {
        using var stream = File.Create(path);
        EscalationModelFile.Write(model, stream, new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero));
    }

    private sealed record Data(string Folder, string ModelA, string ModelB, IReadOnlyList<string> Records, string RecordsFile);
}
