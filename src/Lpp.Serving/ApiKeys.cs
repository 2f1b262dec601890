using System.Collections.Frozen;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Lpp.Serving;

/// <summary>
/// The API keys file, <c>{"keys": [{"name", "sha256", "scopes": ["route", "review", "admin"], "reviewers": ["alice"]}]}</c>:
/// keys are stored as the lowercase hex SHA-256 of the key text, never in clear; <c>reviewers</c> (optional, default
/// the key's own name) are the reviewer identities the key may claim and review as. Names are unique. Thread-safe.
/// </summary>
internal sealed class ApiKeys
{
    private readonly FrozenDictionary<string, ApiKey> _byHash;

    private ApiKeys(FrozenDictionary<string, ApiKey> byHash) => _byHash = byHash;

    /// <summary>How many keys the file holds.</summary>
    public int Count => _byHash.Count;

    /// <summary>Reads and checks a keys file.</summary>
    /// <exception cref="ServeException">The file cannot be read or is malformed (one-line reason).</exception>
    public static ApiKeys Load(string path)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ServeException($"--api-keys {path}: cannot read ({e.Message})");
        }

        try
        {
            return Parse(bytes);
        }
        catch (FormatException e)
        {
            throw new ServeException($"--api-keys {path}: {e.Message}");
        }
    }

    /// <summary>Parses the keys file's JSON.</summary>
    /// <exception cref="FormatException">Malformed, with the field at fault.</exception>
    public static ApiKeys Parse(ReadOnlySpan<byte> utf8Json)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(utf8Json.ToArray());
        }
        catch (JsonException e)
        {
            throw new FormatException($"invalid JSON ({e.Message})", e);
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object
                || !document.RootElement.TryGetProperty("keys", out var keys)
                || keys.ValueKind != JsonValueKind.Array)
            {
                throw new FormatException("expected {\"keys\": [{\"name\", \"sha256\", \"scopes\"}]}");
            }

            var byHash = new Dictionary<string, ApiKey>(StringComparer.Ordinal);
            var names = new HashSet<string>(StringComparer.Ordinal);
            var index = 0;
            foreach (var entry in keys.EnumerateArray())
            {
                var at = $"keys[{index++}]";
                var name = entry.ValueKind == JsonValueKind.Object && entry.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String && n.GetString()!.Length > 0
                    ? n.GetString()!
                    : throw new FormatException($"{at}.name must be a non-empty string");
                var hash = entry.TryGetProperty("sha256", out var h) && h.ValueKind == JsonValueKind.String && IsSha256Hex(h.GetString()!)
                    ? h.GetString()!.ToLowerInvariant()
                    : throw new FormatException($"{at}.sha256 must be 64 hex digits (the SHA-256 of the key)");
                if (!entry.TryGetProperty("scopes", out var scopes) || scopes.ValueKind != JsonValueKind.Array)
                {
                    throw new FormatException($"{at}.scopes must be a list of route, review, admin");
                }

                var granted = ApiScope.None;
                foreach (var scope in scopes.EnumerateArray())
                {
                    granted |= scope.ValueKind == JsonValueKind.String ? scope.GetString() switch
                    {
                        "route" => ApiScope.Route,
                        "review" => ApiScope.Review,
                        "admin" => ApiScope.Admin,
                        var other => throw new FormatException($"{at}.scopes: '{other}' is not one of route, review, admin"),
                    }
                    : throw new FormatException($"{at}.scopes must be a list of route, review, admin");
                }

                var reviewers = new HashSet<string>(StringComparer.Ordinal);
                if (entry.TryGetProperty("reviewers", out var acting))
                {
                    if (acting.ValueKind != JsonValueKind.Array)
                    {
                        throw new FormatException($"{at}.reviewers must be a list of reviewer names");
                    }

                    foreach (var reviewer in acting.EnumerateArray())
                    {
                        reviewers.Add(reviewer.ValueKind == JsonValueKind.String && reviewer.GetString()!.Length > 0
                            ? reviewer.GetString()!
                            : throw new FormatException($"{at}.reviewers must be a list of non-empty reviewer names"));
                    }
                }
                else
                {
                    reviewers.Add(name);
                }

                if (!names.Add(name))
                {
                    throw new FormatException($"{at}.name: the name '{name}' is used by an earlier key (names identify callers in the audit log and must be unique)");
                }

                if (!byHash.TryAdd(hash, new ApiKey(name, granted, reviewers.ToFrozenSet(StringComparer.Ordinal))))
                {
                    throw new FormatException($"{at}: the same key hash appears twice");
                }
            }

            return new ApiKeys(byHash.ToFrozenDictionary(StringComparer.Ordinal));
        }
    }

    /// <summary>The lowercase hex SHA-256 of a key, as the keys file stores it.</summary>
    public static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    /// <summary>The key whose text is <paramref name="key"/>, or null when it is not in the file.</summary>
    public ApiKey? Find(string key) => _byHash.GetValueOrDefault(Hash(key));

    private static bool IsSha256Hex(string text)
    {
        if (text.Length != 64)
        {
            return false;
        }

        foreach (var c in text)
        {
            if (!char.IsAsciiHexDigit(c))
            {
                return false;
            }
        }

        return true;
    }
}
