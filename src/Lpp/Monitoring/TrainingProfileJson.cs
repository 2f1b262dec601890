using System.Collections.Immutable;
using System.Text.Json;

namespace Lpp;

/// <summary>
/// The <c>training_profile</c> section of a model file: <c>{"records", "escalation_ratio", "trusted_error_rate",
/// "score": BINS, "features": [BINS...]}</c> with BINS = <c>{"name", "edges", "shares", "missing_share"}</c>; an
/// undefined rate (nothing trusted) is <c>null</c>. Optional: files written before it load without a profile.
/// </summary>
internal static class TrainingProfileJson
{
    public const string Section = "training_profile";

    public static void Write(Utf8JsonWriter w, TrainingProfile profile)
    {
        w.WriteStartObject(Section);
        w.WriteNumber("records", profile.Records);
        NumberOrNull(w, "escalation_ratio", profile.EscalationRatio);
        NumberOrNull(w, "trusted_error_rate", profile.TrustedErrorRate);
        w.WritePropertyName("score");
        WriteBins(w, profile.Score);
        w.WriteStartArray("features");
        foreach (var feature in profile.Features)
        {
            WriteBins(w, feature);
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    /// <summary>The profile in <paramref name="root"/>, or null when the file has none.</summary>
    /// <exception cref="FormatException">A field is missing or holds a bad value (named).</exception>
    public static TrainingProfile? Read(JsonElement root, IReadOnlyList<string> modelFeatures)
    {
        if (!root.TryGetProperty(Section, out var p) || p.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        var features = Get(p, "features").EnumerateArray().Select(ReadBins).ToImmutableArray();
        if (!features.Select(f => f.Name).SequenceEqual(modelFeatures, StringComparer.Ordinal))
        {
            throw new FormatException($"{Section}.features does not list the model's features in order");
        }

        var records = Rate(p, "records", double.MaxValue);
        return new TrainingProfile((int)records, features, ReadBins(Get(p, "score")), Rate(p, "escalation_ratio", 1), Rate(p, "trusted_error_rate", 1));
    }

    private static void WriteBins(Utf8JsonWriter w, BinnedProfile bins)
    {
        w.WriteStartObject();
        w.WriteString("name", bins.Name);
        w.WriteStartArray("edges");
        foreach (var edge in bins.Edges)
        {
            w.WriteNumberValue(edge);
        }

        w.WriteEndArray();
        w.WriteStartArray("shares");
        foreach (var share in bins.Shares)
        {
            w.WriteNumberValue(share);
        }

        w.WriteEndArray();
        w.WriteNumber("missing_share", bins.MissingShare);
        w.WriteEndObject();
    }

    private static BinnedProfile ReadBins(JsonElement e)
    {
        var name = Get(e, "name") is { ValueKind: JsonValueKind.String } n ? n.GetString()! : throw new FormatException($"{Section}: a bin set has no name");
        var edges = Get(e, "edges").EnumerateArray().Select(v => Finite(v, name + ".edges")).ToImmutableArray();
        var shares = Get(e, "shares").EnumerateArray().Select(v => Finite(v, name + ".shares")).ToImmutableArray();
        var missing = Finite(Get(e, "missing_share"), name + ".missing_share");
        for (var i = 1; i < edges.Length; i++)
        {
            if (!(edges[i] > edges[i - 1]))
            {
                throw new FormatException($"{Section}.{name}.edges are not strictly increasing");
            }
        }

        if (shares.Length != edges.Length + 1)
        {
            throw new FormatException($"{Section}.{name} has {shares.Length} shares for {edges.Length} edges (needs one more share than edges)");
        }

        if (shares.Any(s => s is < 0 or > 1) || missing is < 0 or > 1 || Math.Abs(shares.Sum() + missing - 1) > 1e-6)
        {
            throw new FormatException($"{Section}.{name}: shares must lie in [0, 1] and add up to 1 with missing_share");
        }

        return new BinnedProfile(name, edges, shares, missing);
    }

    private static void NumberOrNull(Utf8JsonWriter w, string name, double value)
    {
        if (double.IsNaN(value))
        {
            w.WriteNull(name);
        }
        else
        {
            w.WriteNumber(name, value);
        }
    }

    private static double Rate(JsonElement e, string name, double max)
    {
        var value = Get(e, name);
        if (value.ValueKind == JsonValueKind.Null && max <= 1)
        {
            return double.NaN;
        }

        var number = Finite(value, name);
        return number >= 0 && number <= max ? number : throw new FormatException($"{Section}.{name} {number} is outside [0, {(max <= 1 ? "1" : "∞")})");
    }

    private static JsonElement Get(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var value) ? value : throw new FormatException($"{Section}: missing field '{name}'");

    private static double Finite(JsonElement value, string name) =>
        value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var number) && double.IsFinite(number)
            ? number
            : throw new FormatException($"{Section}: field '{name}' must be a finite number");
}
