namespace Lpp.Inference;

/// <summary>
/// One piece of content to classify: text and/or media, with known labels per concept. Parsed once from the
/// items file (see <see cref="ItemReader"/>) or from a built-in dataset reader.
/// </summary>
public sealed record InferenceItem
{
    /// <summary>Identifier; record ids are <c>&lt;item id&gt;/&lt;concept&gt;</c>.</summary>
    public required string Id { get; init; }

    /// <summary>The text of the item, or null.</summary>
    public string? Text { get; init; }

    /// <summary>A transcript of the item's audio, or null.</summary>
    public string? Transcript { get; init; }

    /// <summary>A thumbnail image (file path, <c>data:</c> URI or URL), or null.</summary>
    public string? Thumbnail { get; init; }

    /// <summary>Video frames (file paths, <c>data:</c> URIs or URLs), in order; empty when none.</summary>
    public IReadOnlyList<string> Frames { get; init; } = [];

    /// <summary>A video URI passed through to providers that take one (Gemini <c>fileData</c>), or null.</summary>
    public string? VideoUri { get; init; }

    /// <summary>The language of the content (for example <c>en</c>), or null.</summary>
    public string? Language { get; init; }

    /// <summary>Known labels: concept key to 0 or 1. A concept absent here is unknown.</summary>
    public IReadOnlyDictionary<string, int> Labels { get; init; } = new Dictionary<string, int>();

    /// <summary>True when the item carries an image or a video (the multimodal prompt is used).</summary>
    public bool IsMultimodal => Thumbnail is not null || Frames.Count > 0 || VideoUri is not null;
}
