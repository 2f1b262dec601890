using System.IO.Compression;
using System.Text.Json;

namespace Lpp.Inference;

/// <summary>
/// Reads items as JSON Lines (plain or gzip, detected by content):
/// <c>{"id", "text"?, "transcript"?, "thumbnail"?, "frames"?: [...], "video_uri"?, "language"?, "labels"?: {"concept": 0|1}}</c>.
/// Unknown fields are ignored; every line is either an item or a rejection with its reason. A line longer than
/// 16 MiB (<see cref="JsonLinesReader.MaxLineBytes"/>, as for records) is refused without being buffered, and so is an
/// item whose id an earlier line already used (the rejection names both lines and is marked
/// <see cref="ItemReadResult.Duplicate"/>).
/// </summary>
public static class ItemReader
{
    /// <summary>Every non-blank line of <paramref name="path"/> as an item or a rejection.</summary>
    public static IEnumerable<ItemReadResult> Read(string path)
    {
        using var reader = JsonLinesReader.Open(path);
        var seen = new Dictionary<string, long>(StringComparer.Ordinal);
        while (reader.TryRead(out var line))
        {
            if (line.Problem is not null)
            {
                yield return new(line.Number, null, line.Problem);
                continue;
            }

            var result = Parse(line.Number, line.Bytes);
            if (result.Item is { } item && !seen.TryAdd(item.Id, line.Number))
            {
                yield return new(line.Number, null, $"duplicate id '{item.Id}' (first on line {seen[item.Id].ToString(System.Globalization.CultureInfo.InvariantCulture)})") { Duplicate = true };
                continue;
            }

            yield return result;
        }
    }

    /// <summary>Opens a file, transparently decompressing gzip (detected by its magic bytes).</summary>
    public static Stream OpenMaybeGzip(string path)
    {
        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        Span<byte> magic = stackalloc byte[2];
        var read = file.ReadAtLeast(magic, 2, throwOnEndOfStream: false);
        file.Position = 0;
        return read == 2 && magic[0] == 0x1f && magic[1] == 0x8b ? new GZipStream(file, CompressionMode.Decompress) : file;
    }

    internal static ItemReadResult Parse(long line, ReadOnlyMemory<byte> text)
    {
        try
        {
            using var doc = JsonDocument.Parse(text);
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return new(line, null, "not a JSON object");
            }

            var id = OptionalString(root, "id");
            if (string.IsNullOrEmpty(id))
            {
                return new(line, null, "missing or empty id");
            }

            var frames = new List<string>();
            if (root.TryGetProperty("frames", out var framesElement) && framesElement.ValueKind != JsonValueKind.Null)
            {
                if (framesElement.ValueKind != JsonValueKind.Array)
                {
                    return new(line, null, "frames is not a list");
                }

                foreach (var frame in framesElement.EnumerateArray())
                {
                    if (frame.ValueKind != JsonValueKind.String)
                    {
                        return new(line, null, "a frame is not a string");
                    }

                    frames.Add(frame.GetString()!);
                }
            }

            var labels = new Dictionary<string, int>(StringComparer.Ordinal);
            if (root.TryGetProperty("labels", out var labelsElement) && labelsElement.ValueKind != JsonValueKind.Null)
            {
                if (labelsElement.ValueKind != JsonValueKind.Object)
                {
                    return new(line, null, "labels is not an object");
                }

                foreach (var label in labelsElement.EnumerateObject())
                {
                    if (label.Value.ValueKind == JsonValueKind.Null)
                    {
                        continue;
                    }

                    if (label.Value.ValueKind != JsonValueKind.Number || !label.Value.TryGetInt32(out var value) || value is not (0 or 1))
                    {
                        return new(line, null, $"label '{label.Name}' is not 0 or 1");
                    }

                    labels[label.Name] = value;
                }
            }

            var item = new InferenceItem
            {
                Id = id,
                Text = OptionalString(root, "text"),
                Transcript = OptionalString(root, "transcript"),
                Thumbnail = OptionalString(root, "thumbnail"),
                Frames = frames,
                VideoUri = OptionalString(root, "video_uri"),
                Language = OptionalString(root, "language"),
                Labels = labels,
            };
            if (item.Text is null && item.Transcript is null && !item.IsMultimodal)
            {
                return new(line, null, "no content (text, transcript, thumbnail, frames or video_uri)");
            }

            return new(line, item, null);
        }
        catch (JsonException e)
        {
            return new(line, null, $"invalid JSON ({e.Message})");
        }
        catch (InvalidOperationException e)
        {
            return new(line, null, e.Message);
        }
    }

    private static string? OptionalString(JsonElement root, string name)
    {
        if (!root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : throw new InvalidOperationException($"{name} is not a string");
    }
}
