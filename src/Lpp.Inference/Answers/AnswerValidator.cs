using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Lpp.Inference;

/// <summary>
/// Checks an answer against the output contract: the outcome is normalised (digits and the words no/yes/
/// inconclusive_evidence/inconclusive_definition map to 0-3), <c>p_correct</c> must lie in [0, 100] and is snapped
/// to the nearest multiple of 5, the band must be one of VL, L, M, H, VH, and chain of thought needs exactly three
/// steps. Byte offsets of the outcome value and of the reasoning steps are kept for token alignment.
/// </summary>
public static partial class AnswerValidator
{
    /// <summary>Validates <paramref name="content"/>, the text of the model's answer.</summary>
    public static ValidatedAnswer Validate(string? content, bool chainOfThought)
    {
        if (string.IsNullOrWhiteSpace(content))
        {
            return Invalid("the answer is empty");
        }

        var bytes = Encoding.UTF8.GetBytes(content);
        var start = Array.IndexOf(bytes, (byte)'{');
        if (start < 0)
        {
            return Invalid("the answer is not a JSON object");
        }

        try
        {
            return Read(bytes, start, chainOfThought);
        }
        catch (JsonException e)
        {
            return Invalid($"the answer is not valid JSON ({e.Message})");
        }
    }

    /// <summary>Maps an outcome written as a digit or a word to 0-3, or null.</summary>
    public static int? NormalizeOutcome(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var match = OutcomeWord().Match(text);
        if (!match.Success)
        {
            return null;
        }

        return match.Groups["no"].Success ? 0 : match.Groups["yes"].Success ? 1 : match.Groups["evidence"].Success ? 2 : 3;
    }

    /// <summary>Snaps a percentage to the nearest multiple of 5 (halves away from zero).</summary>
    public static int SnapToFive(double percent) => (int)(Math.Round(percent / 5, MidpointRounding.AwayFromZero) * 5);

    private static ValidatedAnswer Read(byte[] bytes, int start, bool chainOfThought)
    {
        var reader = new Utf8JsonReader(bytes.AsSpan(start), new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip });
        reader.Read();
        int? outcome = null;
        var outcomeOffset = -1;
        string? outcomeError = "the answer has no outcome";
        double? pCorrect = null;
        string? pError = "the answer has no p_correct";
        ConfidenceBand? band = null;
        string? bandError = "the answer has no band";
        (int, int)? stepsSpan = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader.GetString();
            reader.Read();
            var valueStart = start + (int)reader.TokenStartIndex;
            switch (name)
            {
                case "outcome" when outcomeOffset < 0:
                    outcomeOffset = reader.TokenType == JsonTokenType.String ? valueStart + 1 : valueStart;
                    (outcome, outcomeError) = ReadOutcome(ref reader);
                    break;
                case "p_correct" when pCorrect is null:
                    (pCorrect, pError) = ReadPercent(ref reader);
                    break;
                case "band" when band is null:
                    (band, bandError) = ReadBand(ref reader);
                    break;
                case "reasoning_steps" when stepsSpan is null:
                    reader.Skip();
                    stepsSpan = (valueStart, start + (int)reader.BytesConsumed);
                    break;
                default:
                    reader.Skip();
                    break;
            }
        }

        if (reader.TokenType != JsonTokenType.EndObject)
        {
            throw new JsonException("the object is not closed");
        }

        IReadOnlyList<ReasoningStep>? steps = null;
        string? stepsError = null;
        if (chainOfThought)
        {
            (steps, stepsError) = stepsSpan is var (s, e) ? ReadSteps(bytes.AsMemory(s, e - s)) : (null, "the answer has no reasoning_steps");
        }

        var error = outcomeError ?? pError ?? bandError ?? stepsError;
        return new ValidatedAnswer
        {
            Outcome = error is null ? outcome : null,
            PCorrect = error is null && pCorrect is { } p ? SnapToFive(p) : null,
            Band = error is null ? band : null,
            Steps = error is null ? steps : null,
            Error = error,
            OutcomeOffset = outcomeOffset,
            ReasoningSpan = stepsSpan,
        };
    }

    private static (int?, string?) ReadOutcome(ref Utf8JsonReader reader)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Number when reader.TryGetDouble(out var number):
                return number is 0 or 1 or 2 or 3 ? ((int)number, null) : (null, $"outcome {number.ToString(CultureInfo.InvariantCulture)} is not 0, 1, 2 or 3");
            case JsonTokenType.String:
                var text = reader.GetString()!;
                return NormalizeOutcome(text) is { } value ? (value, null) : (null, $"outcome '{Cut(text)}' is not 0, 1, 2, 3 or one of their words");
            default:
                var kind = reader.TokenType;
                reader.Skip();
                return (null, $"outcome is a {kind}, not an integer");
        }
    }

    private static (double?, string?) ReadPercent(ref Utf8JsonReader reader)
    {
        double value;
        if (reader.TokenType == JsonTokenType.Number)
        {
            value = reader.GetDouble();
        }
        else if (reader.TokenType == JsonTokenType.String
            && double.TryParse(reader.GetString()!.Trim().TrimEnd('%'), NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed))
        {
            value = parsed;
        }
        else
        {
            reader.Skip();
            return (null, "p_correct is not a number");
        }

        return value is >= 0 and <= 100
            ? (value, null)
            : (null, $"p_correct {value.ToString(CultureInfo.InvariantCulture)} is outside [0, 100]");
    }

    private static (ConfidenceBand?, string?) ReadBand(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            reader.Skip();
            return (null, "band is not a string");
        }

        var text = reader.GetString()!;
        ConfidenceBand? band = WhiteSpace().Replace(text.Trim().ToUpperInvariant(), " ") switch
        {
            "VL" or "VERY LOW" => ConfidenceBand.VL,
            "L" or "LOW" => ConfidenceBand.L,
            "M" or "MEDIUM" => ConfidenceBand.M,
            "H" or "HIGH" => ConfidenceBand.H,
            "VH" or "VERY HIGH" => ConfidenceBand.VH,
            _ => null,
        };
        return band is null ? (null, $"band '{Cut(text)}' is not one of VL, L, M, H, VH") : (band, null);
    }

    private static (IReadOnlyList<ReasoningStep>?, string?) ReadSteps(ReadOnlyMemory<byte> json)
    {
        using var doc = JsonDocument.Parse(json);
        if (doc.RootElement.ValueKind != JsonValueKind.Array)
        {
            return (null, "reasoning_steps is not a list");
        }

        var steps = new List<ReasoningStep>();
        foreach (var step in doc.RootElement.EnumerateArray())
        {
            if (step.ValueKind != JsonValueKind.Object
                || !step.TryGetProperty("description", out var description) || description.ValueKind != JsonValueKind.String
                || !step.TryGetProperty("step_number", out var number) || number.ValueKind != JsonValueKind.Number || !number.TryGetInt32(out var n))
            {
                return (null, "a reasoning step is not {step_number, description}");
            }

            steps.Add(new ReasoningStep(n, description.GetString()!));
        }

        return steps.Count == 3 ? (steps, null) : (null, $"reasoning_steps has {steps.Count} steps, not exactly 3");
    }

    private static ValidatedAnswer Invalid(string error) => new() { Error = error };

    private static string Cut(string text) => text.Length <= 40 ? text : text[..40] + "...";

    [GeneratedRegex(@"^\s*(?:(?<no>0|no|false)|(?<yes>1|yes|true)|(?<evidence>2|inconclusive[\s_-]*evidence)|(?<definition>3|inconclusive[\s_-]*definition))\s*(?:[=:(\-].*)?$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex OutcomeWord();

    [GeneratedRegex(@"\s+")]
    private static partial Regex WhiteSpace();
}
