namespace Lpp.Inference;

/// <summary>Turns an item's media reference (file path, <c>data:</c> URI or URL) into a prompt part.</summary>
internal static class MediaReference
{
    public static ImagePart Image(string reference)
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

        var bytes = File.ReadAllBytes(reference);
        var type = MimeTypeOf(reference, "image/jpeg");
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
}
