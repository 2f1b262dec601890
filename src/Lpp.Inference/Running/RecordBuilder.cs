using System.Globalization;

namespace Lpp.Inference;

/// <summary>Turns a task and what the provider answered into a decision record of the moderation schema.</summary>
internal static class RecordBuilder
{
    public static DecisionRecord Build(InferenceTask task, IChatProvider provider, ProviderResponse? response, ValidatedAnswer? answer, bool chainOfThought)
    {
        var source = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["concept"] = task.Concept.Key,
            ["model"] = provider.Model,
            ["provider"] = provider.Name,
        };
        if (task.Item.Language is { } language)
        {
            source["language"] = language;
        }

        var output = LlmOutput.Empty;
        if (response is not null)
        {
            var signals = response.Content is not null && answer is not null
                ? TokenAlignment.Extract(response.Tokens, response.Content, answer, chainOfThought)
                : null;
            output = new LlmOutput
            {
                Outcome = answer?.Outcome?.ToString(CultureInfo.InvariantCulture),
                RawAnswer = response.Content,
                VerbalizedConfidence = answer?.PCorrect,
                Band = answer?.Band,
                OutcomeTopLogprobs = signals?.OutcomeTopLogprobs,
                ReasoningTokens = signals?.ReasoningTokens,
            };
        }

        return new DecisionRecord
        {
            Id = task.RecordId,
            Source = source,
            Schema = LabelSchema.Moderation,
            Output = output,
            Truth = task.Item.Labels.TryGetValue(task.Concept.Key, out var label) ? label.ToString(CultureInfo.InvariantCulture) : null,
        };
    }
}
