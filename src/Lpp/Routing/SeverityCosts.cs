using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;

namespace Lpp;

/// <summary>
/// Costs that vary by severity: a default <see cref="CostModel"/> and, keyed by the value of one <c>source</c>
/// attribute (<see cref="By"/>, e.g. <c>concept</c>), costs of their own. Read from
/// <c>{"default": {"c_error": 1, "c_review": 0.64}, "by": "concept", "values": {"csam": {"c_error": 50, "c_review": 0.64}}}</c>.
/// Each item is routed at the threshold of its own costs: the model's τ where they are the costs the model was
/// trained for, otherwise the closed-form optimum of a calibrated score for their ratio
/// (<see cref="CostModel.CalibratedOptimalThreshold"/>: 1 − r/2 in the paper's form, 1 − r in the absolute one).
/// </summary>
public sealed class SeverityCosts
{
    /// <summary>The name of the default costs in decisions and reports.</summary>
    public const string DefaultGroup = "default";

    private SeverityCosts(CostModel defaultCost, string? by, ImmutableSortedDictionary<string, CostModel> values)
    {
        Default = defaultCost;
        By = by;
        Values = values;
    }

    /// <summary>The costs of an item no entry of <see cref="Values"/> applies to.</summary>
    public CostModel Default { get; }

    /// <summary>The <c>source</c> attribute the costs are keyed by; null when only the default is given.</summary>
    public string? By { get; }

    /// <summary>Costs by value of the <see cref="By"/> attribute.</summary>
    public ImmutableSortedDictionary<string, CostModel> Values { get; }

    /// <summary>
    /// The costs of an item with <paramref name="source"/> attributes, and the name of the entry that applied: the
    /// attribute's value, or <see cref="DefaultGroup"/>.
    /// </summary>
    public CostModel For(IReadOnlyDictionary<string, string> source, out string group)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (By is not null && source.TryGetValue(By, out var value) && Values.TryGetValue(value, out var cost))
        {
            group = value;
            return cost;
        }

        group = DefaultGroup;
        return Default;
    }

    /// <summary>The threshold for items with <paramref name="cost"/> under <paramref name="model"/> (see the class remarks).</summary>
    public static double ThresholdFor(EscalationModel model, CostModel cost)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(cost);
        return cost == model.Cost ? model.Tau : cost.CalibratedOptimalThreshold;
    }

    /// <summary>Reads a costs file; every problem is a <see cref="FormatException"/> naming the file and the field.</summary>
    public static SeverityCosts Load(string path, CostForm form)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new FormatException($"{path}: cannot read ({e.Message})", e);
        }

        try
        {
            return Parse(bytes, form);
        }
        catch (FormatException e)
        {
            throw new FormatException($"{path}: {e.Message}", e);
        }
    }

    /// <summary>Parses the JSON of a costs file (see the class summary), every cost in the given form.</summary>
    /// <exception cref="FormatException">Invalid JSON, no <c>default</c>, a cost that is not a positive finite number, <c>values</c> without <c>by</c> (the field is named).</exception>
    public static SeverityCosts Parse(ReadOnlySpan<byte> utf8Json, CostForm form)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(utf8Json.ToArray());
        }
        catch (JsonException e)
        {
            throw new FormatException($"invalid JSON ({e.Message.Split(" Path:", 2)[0]})", e);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new FormatException("must be a JSON object {\"default\", \"by\", \"values\"}");
            }

            if (!root.TryGetProperty("default", out var defaultElement))
            {
                throw new FormatException("no \"default\" costs ({\"default\": {\"c_error\": 1, \"c_review\": 0.64}, ...})");
            }

            var defaultCost = Cost(defaultElement, "default", form);
            string? by = null;
            if (root.TryGetProperty("by", out var byElement) && byElement.ValueKind != JsonValueKind.Null)
            {
                by = byElement.ValueKind == JsonValueKind.String && byElement.GetString() is { Length: > 0 } text
                    ? text
                    : throw new FormatException("\"by\" must be the name of a source attribute, e.g. \"concept\"");
            }

            var values = ImmutableSortedDictionary.CreateBuilder<string, CostModel>(StringComparer.Ordinal);
            if (root.TryGetProperty("values", out var valuesElement) && valuesElement.ValueKind != JsonValueKind.Null)
            {
                if (valuesElement.ValueKind != JsonValueKind.Object)
                {
                    throw new FormatException("\"values\" must be an object of costs by attribute value");
                }

                foreach (var entry in valuesElement.EnumerateObject())
                {
                    values[entry.Name] = Cost(entry.Value, $"values.{entry.Name}", form);
                }

                if (values.Count > 0 && by is null)
                {
                    throw new FormatException("\"values\" needs \"by\": the source attribute they are keyed by");
                }
            }

            return new SeverityCosts(defaultCost, by, values.ToImmutable());
        }
    }

    /// <summary>Writes the costs in the shape <see cref="Parse"/> reads, with the form beside them.</summary>
    public void Write(Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        writer.WriteString("form", Default.FormName);
        writer.WritePropertyName(DefaultGroup);
        WriteCost(writer, Default);
        if (By is not null)
        {
            writer.WriteString("by", By);
            writer.WriteStartObject("values");
            foreach (var (value, cost) in Values)
            {
                writer.WritePropertyName(value);
                WriteCost(writer, cost);
            }

            writer.WriteEndObject();
        }

        writer.WriteEndObject();
    }

    /// <summary>One line per entry: its name, costs and threshold under <paramref name="model"/>.</summary>
    public IEnumerable<string> Describe(EscalationModel model)
    {
        yield return Line(DefaultGroup, Default, model);
        foreach (var (value, cost) in Values)
        {
            yield return Line($"{By}={value}", cost, model);
        }
    }

    private static string Line(string name, CostModel cost, EscalationModel model) => string.Create(
        CultureInfo.InvariantCulture,
        $"{name}: c_error {cost.CError:G6}, c_review {cost.CReview:G6}, tau {ThresholdFor(model, cost):0.####}");

    private static void WriteCost(Utf8JsonWriter writer, CostModel cost)
    {
        writer.WriteStartObject();
        writer.WriteNumber("c_error", cost.CError);
        writer.WriteNumber("c_review", cost.CReview);
        writer.WriteEndObject();
    }

    private static CostModel Cost(JsonElement element, string where, CostForm form)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException($"{where} must be an object {{\"c_error\", \"c_review\"}}");
        }

        return new CostModel(form, Positive(element, where, "c_error"), Positive(element, where, "c_review"));
    }

    private static double Positive(JsonElement element, string where, string name)
    {
        if (!element.TryGetProperty(name, out var value))
        {
            throw new FormatException($"{where}.{name} is missing");
        }

        return value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var number) && double.IsFinite(number) && number > 0
            ? number
            : throw new FormatException($"{where}.{name} must be a positive number (got {value.GetRawText()})");
    }
}
