namespace Lpp.Inference;

/// <summary>
/// A prompt template: the system text and the user text, with placeholders <c>{concept_key}</c>,
/// <c>{concept_name}</c>, <c>{definition}</c>, <c>{language}</c>, <c>{modalities}</c> and (user text only) <c>{content}</c>.
/// The file form is the system text, a line <c>--- user ---</c>, then the user text.
/// </summary>
/// <param name="System">The system text.</param>
/// <param name="User">The user text; must contain <c>{content}</c>.</param>
public sealed record PromptTemplate(string System, string User)
{
    /// <summary>The line that separates the system text from the user text in a template file.</summary>
    public const string Separator = "--- user ---";

    internal static readonly string[] Placeholders = ["{concept_key}", "{concept_name}", "{definition}", "{language}", "{modalities}", "{content}"];

    /// <summary>Parses the file form.</summary>
    /// <exception cref="FormatException">No separator line, no <c>{content}</c> in the user text, or an unknown placeholder.</exception>
    public static PromptTemplate Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var lines = text.ReplaceLineEndings("\n").Split('\n');
        var at = Array.FindIndex(lines, l => l.Trim() == Separator);
        if (at < 0)
        {
            throw new FormatException($"no '{Separator}' line between the system and the user text");
        }

        var template = new PromptTemplate(string.Join('\n', lines[..at]).Trim(), string.Join('\n', lines[(at + 1)..]).Trim());
        if (!template.User.Contains("{content}", StringComparison.Ordinal))
        {
            throw new FormatException("the user text has no {content} placeholder");
        }

        foreach (var part in new[] { template.System, template.User })
        {
            var scan = 0;
            while ((scan = part.IndexOf('{', scan)) >= 0)
            {
                var end = part.IndexOf('}', scan);
                if (end < 0)
                {
                    break;
                }

                var name = part[scan..(end + 1)];
                if (!Placeholders.Contains(name, StringComparer.Ordinal) && name.All(c => char.IsAsciiLetterLower(c) || c is '_' or '{' or '}'))
                {
                    throw new FormatException($"unknown placeholder {name} (known: {string.Join(", ", Placeholders)})");
                }

                scan = end + 1;
            }
        }

        return template;
    }
}
