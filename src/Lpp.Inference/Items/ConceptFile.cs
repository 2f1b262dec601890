using System.Text.Json;
using YamlDotNet.RepresentationModel;

namespace Lpp.Inference;

/// <summary>
/// Reads a concepts file: a JSON (or YAML, by extension <c>.yaml</c>/<c>.yml</c>) object mapping each concept key
/// to <c>{"name": ..., "definition": ...}</c>. Keys keep the file's order.
/// </summary>
public static class ConceptFile
{
    /// <summary>Loads the concepts of <paramref name="path"/>.</summary>
    /// <exception cref="FormatException">The file is not such an object; the message names the offending key.</exception>
    public static IReadOnlyList<Concept> Load(string path)
    {
        var text = File.ReadAllText(path);
        var extension = Path.GetExtension(path);
        return extension.Equals(".yaml", StringComparison.OrdinalIgnoreCase) || extension.Equals(".yml", StringComparison.OrdinalIgnoreCase)
            ? ParseYaml(text)
            : ParseJson(text);
    }

    /// <summary>Parses the JSON form.</summary>
    public static IReadOnlyList<Concept> ParseJson(string json)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException e)
        {
            throw new FormatException($"invalid JSON ({e.Message})", e);
        }

        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new FormatException("expected an object mapping concept keys to {name, definition}");
            }

            var concepts = new List<Concept>();
            foreach (var property in doc.RootElement.EnumerateObject())
            {
                if (property.Value.ValueKind != JsonValueKind.Object)
                {
                    throw new FormatException($"concept '{property.Name}' is not an object");
                }

                concepts.Add(Make(property.Name, Field(property.Value, "name"), Field(property.Value, "definition")));
            }

            return Check(concepts);
        }
    }

    /// <summary>Parses the YAML form (the same mapping).</summary>
    public static IReadOnlyList<Concept> ParseYaml(string yaml)
    {
        var stream = new YamlStream();
        try
        {
            using var reader = new StringReader(yaml);
            stream.Load(reader);
        }
        catch (YamlDotNet.Core.YamlException e)
        {
            throw new FormatException($"invalid YAML ({e.Message})", e);
        }

        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            throw new FormatException("expected a mapping of concept keys to {name, definition}");
        }

        var concepts = new List<Concept>();
        foreach (var (keyNode, valueNode) in root.Children)
        {
            var key = (keyNode as YamlScalarNode)?.Value ?? throw new FormatException("a concept key is not a scalar");
            if (valueNode is not YamlMappingNode fields)
            {
                throw new FormatException($"concept '{key}' is not a mapping");
            }

            string? Get(string name) => fields.Children.TryGetValue(new YamlScalarNode(name), out var node) ? (node as YamlScalarNode)?.Value : null;
            concepts.Add(Make(key, Get("name"), Get("definition")));
        }

        return Check(concepts);
    }

    private static string? Field(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static Concept Make(string key, string? name, string? definition)
    {
        if (string.IsNullOrWhiteSpace(key) || key.Contains('/', StringComparison.Ordinal))
        {
            throw new FormatException($"concept key '{key}' must be non-empty and contain no '/'");
        }

        if (string.IsNullOrWhiteSpace(definition))
        {
            throw new FormatException($"concept '{key}' has no definition");
        }

        return new Concept(key, string.IsNullOrWhiteSpace(name) ? key : name, definition);
    }

    private static List<Concept> Check(List<Concept> concepts) =>
        concepts.Count == 0 ? throw new FormatException("the file defines no concept") : concepts;
}
