using System.Text.Json;

namespace Lpp.Inference;

/// <summary>
/// Prices in US dollars per million tokens, by model name (the longest matching prefix wins, so dated snapshots such
/// as <c>gpt-4o-mini-2024-07-18</c> take their family's price). Users replace the table with a JSON file of the same
/// shape: <c>{"gpt-4o-mini": {"input": 0.15, "output": 0.60}}</c>.
/// </summary>
public sealed class PriceTable
{
    private readonly Dictionary<string, (double Input, double Output)> _prices;

    private PriceTable(Dictionary<string, (double, double)> prices) => _prices = prices;

    /// <summary>List prices of common models as published in 2025 (edit with a file when they change).</summary>
    public static PriceTable Default { get; } = new(new(StringComparer.OrdinalIgnoreCase)
    {
        ["gpt-4o-mini"] = (0.15, 0.60),
        ["gpt-4o"] = (2.50, 10.00),
        ["gpt-4.1-nano"] = (0.10, 0.40),
        ["gpt-4.1-mini"] = (0.40, 1.60),
        ["gpt-4.1"] = (2.00, 8.00),
        ["gemini-2.0-flash-lite"] = (0.075, 0.30),
        ["gemini-2.0-flash"] = (0.10, 0.40),
        ["gemini-2.5-flash"] = (0.30, 2.50),
        ["gemini-2.5-pro"] = (1.25, 10.00),
    });

    /// <summary>Reads a table file.</summary>
    /// <exception cref="FormatException">The file is not such a table; the message names the model.</exception>
    public static PriceTable Load(string path)
    {
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(path));
            var prices = new Dictionary<string, (double, double)>(StringComparer.OrdinalIgnoreCase);
            foreach (var model in doc.RootElement.EnumerateObject())
            {
                if (!model.Value.TryGetProperty("input", out var input) || !input.TryGetDouble(out var i) || i < 0
                    || !model.Value.TryGetProperty("output", out var output) || !output.TryGetDouble(out var o) || o < 0)
                {
                    throw new FormatException($"model '{model.Name}' needs non-negative numbers input and output (US dollars per million tokens)");
                }

                prices[model.Name] = (i, o);
            }

            return new PriceTable(prices);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            throw new FormatException($"expected {{\"model\": {{\"input\": USD, \"output\": USD}}}} ({e.Message})", e);
        }
    }

    /// <summary>The estimated cost of the tokens in US dollars, or null when the model has no price.</summary>
    public double? Estimate(string model, long promptTokens, long outputTokens)
    {
        ArgumentNullException.ThrowIfNull(model);
        var best = _prices.Keys.Where(k => model.StartsWith(k, StringComparison.OrdinalIgnoreCase)).MaxBy(k => k.Length);
        if (best is null)
        {
            return null;
        }

        var (input, output) = _prices[best];
        return ((promptTokens * input) + (outputTokens * output)) / 1e6;
    }
}
