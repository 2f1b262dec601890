namespace Lpp.Tests;

/// <summary>Models trained once per test run on real data from ../shared (deterministic: fixed seed).</summary>
public static class TrainedModels
{
    private static readonly Lazy<EscalationModel> SatDefault = new(() => Train("data/llm-confidence/gpt-4o/sat.jsonl", Recipe.Default));
    private static readonly Lazy<EscalationModel> BoolqPaper = new(() => Train("data/llm-confidence/gpt-4o/boolq.jsonl", Recipe.Paper));
    private static readonly Lazy<EscalationModel> BoolqDefault = new(() => Train("data/llm-confidence/gpt-4o/boolq.jsonl", Recipe.Default));

    /// <summary>Default recipe on gpt-4o/sat (206 records, 14 LLM errors).</summary>
    public static EscalationModel GptSatDefault => SatDefault.Value;

    /// <summary>Paper recipe on gpt-4o/boolq (3,270 records, 568 LLM errors).</summary>
    public static EscalationModel GptBoolqPaper => BoolqPaper.Value;

    /// <summary>Default recipe on gpt-4o/boolq (3,270 records, 568 LLM errors).</summary>
    public static EscalationModel GptBoolqDefault => BoolqDefault.Value;

    public static EscalationModel Train(string relative, Recipe recipe, EscalationTrainerOptions? options = null)
    {
        var records = DecisionRecordReader.ReadValid(SharedData.Path(relative)).ToList();
        options = (options ?? new EscalationTrainerOptions()) with { Recipe = recipe };
        return new EscalationTrainer(options).Fit(TrainingSet.From(records, new LppFeatureExtractor(options.Features)));
    }
}
