namespace Lpp.Inference;

/// <summary>Turns an item's media reference (file path, <c>data:</c> URI or URL) into a prompt part.</summary>
internal static class MediaReference
{
    private const int MaxLinkDepth = 40;

    /// <exception cref="MediaRefusedException">A local file is refused by <paramref name="media"/>.</exception>
    /// <exception cref="IOException">A local file cannot be read.</exception>
    public static ImagePart Image(string reference, MediaOptions media)
    {
        if (reference.StartsWith("data:", StringComparison.OrdinalIgnoreCase))
        {
            var semicolon = reference.IndexOfAny([';', ',']);
            var mime = semicolon > 5 ? reference[5..semicolon] : "image/jpeg";
            return new ImagePart(reference, mime);
        }

        if (IsUrl(reference))
        {
            return new ImagePart(reference, MimeTypeOf(reference, "image/jpeg"));
        }

        var bytes = ReadLocal(reference, media);
        var type = ImageTypeOf(bytes) ?? throw new MediaRefusedException($"media file {reference}: not a JPEG, PNG, GIF or WebP image");
        return new ImagePart($"data:{type};base64,{Convert.ToBase64String(bytes)}", type);
    }

    public static bool IsUrl(string reference) =>
        reference.StartsWith("http://", StringComparison.OrdinalIgnoreCase)
        || reference.StartsWith("https://", StringComparison.OrdinalIgnoreCase)
        || reference.StartsWith("gs://", StringComparison.OrdinalIgnoreCase);

    public static string MimeTypeOf(string reference, string fallback)
    {
        var path = reference.Split('?', 2)[0];
        return Path.GetExtension(path).ToUpperInvariant() switch
        {
            ".JPG" or ".JPEG" => "image/jpeg",
            ".PNG" => "image/png",
            ".WEBP" => "image/webp",
            ".GIF" => "image/gif",
            ".MP4" => "video/mp4",
            ".WEBM" => "video/webm",
            ".MOV" => "video/quicktime",
            _ => fallback,
        };
    }

    /// <summary>The image type named by the leading bytes (JPEG, PNG, GIF, WebP), or null.</summary>
    public static string? ImageTypeOf(ReadOnlySpan<byte> bytes)
    {
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF]))
        {
            return "image/jpeg";
        }

        if (bytes.StartsWith((ReadOnlySpan<byte>)[0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]))
        {
            return "image/png";
        }

        if (bytes.StartsWith("GIF87a"u8) || bytes.StartsWith("GIF89a"u8))
        {
            return "image/gif";
        }

        return bytes.Length >= 12 && bytes.StartsWith("RIFF"u8) && bytes[8..12].SequenceEqual("WEBP"u8) ? "image/webp" : null;
    }

    /// <summary>Reads a local file after the root, type-of-file and size checks.</summary>
    private static byte[] ReadLocal(string reference, MediaOptions media)
    {
        if (media.Root is null)
        {
            throw new MediaRefusedException($"media file {reference}: local files are read only under --media-root");
        }

        var root = Resolve(Path.GetFullPath(media.Root), 0);
        var path = Resolve(Path.GetFullPath(reference, root), 0);
        var prefix = root.EndsWith(Path.DirectorySeparatorChar) ? root : root + Path.DirectorySeparatorChar;
        if (!path.StartsWith(prefix, StringComparison.Ordinal))
        {
            throw new MediaRefusedException($"media file {reference}: outside the media root {media.Root}");
        }

        var info = new FileInfo(path);
        if (!info.Exists)
        {
            throw new MediaRefusedException($"media file {reference}: not found (or not a regular file)");
        }

        // Devices, pipes and /proc entries report a size of 0 (a pipe would block on open): only non-empty files pass.
        if (info.Length == 0)
        {
            throw new MediaRefusedException($"media file {reference}: empty or not a regular file");
        }

        if (info.Length > media.MaxBytes)
        {
            throw new MediaRefusedException($"media file {reference}: {info.Length} bytes, more than --max-media-bytes {media.MaxBytes}");
        }

        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1);
        var buffer = new byte[info.Length];
        var read = stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
        if (read != buffer.Length || stream.ReadByte() >= 0)
        {
            throw new MediaRefusedException($"media file {reference}: changed size while being read");
        }

        return buffer;
    }

    /// <summary>The absolute path with every symbolic link along it followed.</summary>
    private static string Resolve(string fullPath, int depth)
    {
        if (depth > MaxLinkDepth)
        {
            throw new MediaRefusedException($"media file {fullPath}: too many levels of symbolic links");
        }

        var root = Path.GetPathRoot(fullPath) ?? "/";
        var current = root;
        foreach (var segment in fullPath[root.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries))
        {
            var next = Path.Combine(current, segment);
            FileSystemInfo info = Directory.Exists(next) ? new DirectoryInfo(next) : new FileInfo(next);
            if (info.LinkTarget is { } target)
            {
                next = Resolve(Path.GetFullPath(target, current), depth + 1);
            }

            current = next;
        }

        return current;
    }
}
