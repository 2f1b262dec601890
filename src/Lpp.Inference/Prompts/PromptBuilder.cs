using System.Text;

namespace Lpp.Inference;

/// <summary>
/// Fills a template with an item and a concept, inlining image files as <c>data:</c> URIs; local files are read only
/// as <paramref name="media"/> allows (by default none).
/// </summary>
public sealed class PromptBuilder(PromptTemplates templates, bool chainOfThought, MediaOptions? media = null)
{
    private readonly MediaOptions _media = media ?? new MediaOptions();

    /// <summary>True when the chain-of-thought variants are used.</summary>
    public bool ChainOfThought => chainOfThought;

    /// <summary>The variant used for <paramref name="item"/>.</summary>
    public PromptVariant VariantFor(InferenceItem item)
    {
        ArgumentNullException.ThrowIfNull(item);
        return (item.IsMultimodal, chainOfThought) switch
        {
            (false, false) => PromptVariant.TextDirect,
            (false, true) => PromptVariant.TextCot,
            (true, false) => PromptVariant.MultimodalDirect,
            (true, true) => PromptVariant.MultimodalCot,
        };
    }

    /// <summary>The prompt for one (item, concept) pair.</summary>
    /// <exception cref="MediaRefusedException">An image file is refused (see <see cref="MediaOptions"/>).</exception>
    /// <exception cref="IOException">An image file cannot be read.</exception>
    public ChatPrompt Build(InferenceItem item, Concept concept)
    {
        ArgumentNullException.ThrowIfNull(item);
        ArgumentNullException.ThrowIfNull(concept);
        var template = templates[VariantFor(item)];
        var modalities = Modalities(item);
        var content = new StringBuilder();
        if (item.Text is not null)
        {
            content.Append(item.Text);
        }

        if (item.Transcript is not null)
        {
            if (content.Length > 0)
            {
                content.Append("\n\n");
            }

            content.Append(item.IsMultimodal || item.Text is not null ? "Transcript:\n" + item.Transcript : item.Transcript);
        }

        string Fill(string text) => text
            .Replace("{concept_key}", concept.Key, StringComparison.Ordinal)
            .Replace("{concept_name}", concept.Name, StringComparison.Ordinal)
            .Replace("{definition}", concept.Definition, StringComparison.Ordinal)
            .Replace("{language}", item.Language ?? "unknown", StringComparison.Ordinal)
            .Replace("{modalities}", modalities, StringComparison.Ordinal);

        // {content} is filled last so that braces inside the content are never taken for placeholders.
        var parts = new List<PromptPart> { new TextPart(Fill(template.User).Replace("{content}", content.ToString(), StringComparison.Ordinal)) };
        if (item.Thumbnail is not null)
        {
            parts.Add(MediaReference.Image(item.Thumbnail, _media));
        }

        foreach (var frame in item.Frames)
        {
            parts.Add(MediaReference.Image(frame, _media));
        }

        if (item.VideoUri is not null)
        {
            parts.Add(new VideoPart(item.VideoUri, MediaReference.MimeTypeOf(item.VideoUri, "video/mp4")));
        }

        return new ChatPrompt { System = Fill(template.System), User = parts, ChainOfThought = chainOfThought };
    }

    private static string Modalities(InferenceItem item)
    {
        var list = new List<string>();
        if (item.Text is not null)
        {
            list.Add("text");
        }

        if (item.Transcript is not null)
        {
            list.Add("transcript");
        }

        if (item.Thumbnail is not null)
        {
            list.Add("thumbnail image");
        }

        if (item.Frames.Count > 0)
        {
            list.Add(item.Frames.Count == 1 ? "1 video frame" : $"{item.Frames.Count} video frames");
        }

        if (item.VideoUri is not null)
        {
            list.Add("video");
        }

        return string.Join(", ", list);
    }
}
