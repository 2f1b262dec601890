using System.Text.Json;

namespace Lpp;

/// <summary>
/// The optional <c>contribution_groups</c> section of the model file:
/// <c>{"duplicate_correlation": 0.95, "groups": [{"name", "members": [...], "signs": [...]}]}</c>.
/// A file without it (written by an older lpp) reports every feature's contribution on its own.
/// </summary>
internal static class ContributionGroupsJson
{
    /// <summary>The section's name in the model file.</summary>
    public const string Section = "contribution_groups";

    /// <summary>Writes the section as a property of the object being written; nothing when <paramref name="groups"/> is null.</summary>
    public static void Write(Utf8JsonWriter w, ContributionGroups? groups)
    {
        if (groups is null)
        {
            return;
        }

        w.WriteStartObject(Section);
        w.WriteNumber("duplicate_correlation", groups.DuplicateCorrelation);
        w.WriteStartArray("groups");
        foreach (var group in groups.Groups)
        {
            w.WriteStartObject();
            w.WriteString("name", group.Name);
            w.WriteStartArray("members");
            foreach (var member in group.Members)
            {
                w.WriteStringValue(member);
            }

            w.WriteEndArray();
            w.WriteStartArray("signs");
            foreach (var sign in group.Signs)
            {
                w.WriteNumberValue(sign);
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    /// <summary>Reads the section from the model file's root object, or null when the file has none.</summary>
    /// <exception cref="FormatException">The section is malformed or names a feature the model does not read.</exception>
    public static ContributionGroups? Read(JsonElement root, IReadOnlyCollection<string> modelFeatures)
    {
        if (!root.TryGetProperty(Section, out var section))
        {
            return null;
        }

        try
        {
            var threshold = Property(section, "duplicate_correlation", JsonValueKind.Number).GetDouble();
            var groups = new List<ContributionGroup>();
            foreach (var g in Property(section, "groups", JsonValueKind.Array).EnumerateArray())
            {
                var name = Property(g, "name", JsonValueKind.String).GetString()!;
                var members = Property(g, "members", JsonValueKind.Array).EnumerateArray()
                    .Select(m => m.ValueKind == JsonValueKind.String ? m.GetString()! : throw new FormatException("a member is not a string"))
                    .ToList();
                foreach (var member in members.Where(m => !modelFeatures.Contains(m)))
                {
                    throw new FormatException($"group '{name}' names '{member}', a feature the model does not read");
                }

                var signs = Property(g, "signs", JsonValueKind.Array).EnumerateArray()
                    .Select(s => s.ValueKind == JsonValueKind.Number && s.TryGetInt32(out var sign) ? sign : throw new FormatException($"group '{name}': a sign is not +1 or -1"))
                    .ToList();
                groups.Add(new ContributionGroup(name, members, signs));
            }

            return new ContributionGroups(threshold, groups);
        }
        catch (Exception e) when (e is FormatException or ArgumentException)
        {
            throw new FormatException($"{Section}: {e.Message.Split(" (Parameter", 2)[0]}", e);
        }
    }

    private static JsonElement Property(JsonElement e, string name, JsonValueKind kind) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var value) && value.ValueKind == kind
            ? value
            : throw new FormatException($"field '{name}' is missing or not a{(kind == JsonValueKind.Array ? "n array" : kind == JsonValueKind.Number ? " number" : kind == JsonValueKind.String ? " string" : "n object")}");
}
