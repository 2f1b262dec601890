using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Lpp.Inference;

/// <summary>
/// The OpenAI moderation evaluation set (github.com/openai/moderation-api-release): JSON Lines of
/// <c>{"prompt", "S", "H", "V", "HR", "SH", "S3", "H2", "V2"}</c>, each flag 0 or 1 and a missing key meaning unknown.
/// Items get the id <c>moderation-&lt;1-based line&gt;</c>; each (text, known category) pair is one prediction.
/// </summary>
public static class ModerationDataset
{
    /// <summary>The dataset name accepted by <c>--dataset</c>.</summary>
    public const string Name = "openai-moderation";

    /// <summary>
    /// The eight categories with the definitions of the dataset's README (taxonomy of Markov et al. 2023,
    /// "A Holistic Approach to Undesired Content Detection in the Real World").
    /// </summary>
    public static IReadOnlyList<Concept> Concepts { get; } =
    [
        new("S", "sexual", "Content meant to arouse sexual excitement, such as the description of sexual activity, or that promotes sexual services (excluding sex education and wellness)."),
        new("H", "hate", "Content that expresses, incites, or promotes hate based on race, gender, ethnicity, religion, nationality, sexual orientation, disability status, or caste."),
        new("V", "violence", "Content that promotes or glorifies violence or celebrates the suffering or humiliation of others."),
        new("HR", "harassment", "Content that may be used to torment or annoy individuals in real life, or make harassment more likely to occur."),
        new("SH", "self-harm", "Content that promotes, encourages, or depicts acts of self-harm, such as suicide, cutting, and eating disorders."),
        new("S3", "sexual/minors", "Sexual content that includes an individual who is under 18 years old."),
        new("H2", "hate/threatening", "Hateful content that also includes violence or serious harm towards the targeted group."),
        new("V2", "violence/graphic", "Violent content that depicts death, violence, or serious physical injury in extreme graphic detail."),
    ];

    /// <summary>Reads the dataset (plain or gzip) as items whose labels hold the known categories.</summary>
    public static IEnumerable<ItemReadResult> Read(string path)
    {
        using var stream = ItemReader.OpenMaybeGzip(path);
        using var reader = new StreamReader(stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        long line = 0;
        while (reader.ReadLine() is { } text)
        {
            line++;
            if (!string.IsNullOrWhiteSpace(text))
            {
                yield return Parse(line, text);
            }
        }
    }

    internal static ItemReadResult Parse(long line, string text)
    {
        try
        {
            using var doc = JsonDocument.Parse(text);
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("prompt", out var prompt) || prompt.ValueKind != JsonValueKind.String)
            {
                return new(line, null, "missing prompt");
            }

            var labels = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var concept in Concepts)
            {
                if (!root.TryGetProperty(concept.Key, out var flag) || flag.ValueKind == JsonValueKind.Null)
                {
                    continue;
                }

                if (flag.ValueKind != JsonValueKind.Number || !flag.TryGetInt32(out var value) || value is not (0 or 1))
                {
                    return new(line, null, $"{concept.Key} is not 0 or 1");
                }

                labels[concept.Key] = value;
            }

            var item = new InferenceItem
            {
                Id = "moderation-" + line.ToString(CultureInfo.InvariantCulture),
                Text = prompt.GetString(),
                Labels = labels,
            };
            return new(line, item, null);
        }
        catch (JsonException e)
        {
            return new(line, null, $"invalid JSON ({e.Message})");
        }
    }
}
