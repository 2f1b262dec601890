using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace Lpp.Cli.Reports;

/// <summary>
/// Turns the reports' own Markdown (headings, paragraphs, lists, pipe tables, images, `code`, **bold**) into one
/// self-contained HTML page: images are embedded as base64 data URIs so the page opens offline.
/// </summary>
internal static partial class MarkdownHtml
{
    public static string Convert(string markdown, string title, string imageFolder)
    {
        var sb = new StringBuilder();
        sb.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>").Append(WebUtility.HtmlEncode(title)).Append("</title>\n<style>\n")
          .Append("body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222;line-height:1.5}\n")
          .Append("div.table{overflow-x:auto;max-width:100%;margin:1em 0}table{border-collapse:collapse;font-size:.9em}th,td{border:1px solid #ccc;padding:.3em .6em}th{background:#f3f3f3}td.n{text-align:right;font-variant-numeric:tabular-nums}\n")
          .Append("img{max-width:100%;border:1px solid #eee;margin:.5em 0}code{background:#f3f3f3;padding:0 .2em}p.verdict{font-size:1.15em;background:#f4f8ff;border-left:4px solid #36c;padding:.6em 1em}\n")
          .Append("</style>\n</head>\n<body>\n");
        var lines = markdown.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var paragraph = new List<string>();
        var firstParagraphAfterTitle = true;
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            if (line.StartsWith('|'))
            {
                Flush();
                var rows = new List<string>();
                while (i < lines.Length && lines[i].StartsWith('|'))
                {
                    rows.Add(lines[i++]);
                }

                i--;
                Table(sb, rows);
            }
            else if (line.StartsWith('#'))
            {
                Flush();
                var level = line.TakeWhile(c => c == '#').Count();
                sb.Append(System.Globalization.CultureInfo.InvariantCulture, $"<h{level}>{Inline(line[level..].Trim())}</h{level}>\n");
            }
            else if (line.StartsWith("![", StringComparison.Ordinal) && ImagePattern().Match(line) is { Success: true } image)
            {
                Flush();
                sb.Append("<p><img alt=\"").Append(WebUtility.HtmlEncode(image.Groups[1].Value)).Append("\" src=\"").Append(DataUri(Path.Combine(imageFolder, Path.GetFileName(image.Groups[2].Value)))).Append("\"></p>\n");
            }
            else if (line.StartsWith("- ", StringComparison.Ordinal))
            {
                Flush();
                sb.Append("<ul>\n");
                while (i < lines.Length && lines[i].StartsWith("- ", StringComparison.Ordinal))
                {
                    sb.Append("<li>").Append(Inline(lines[i++][2..])).Append("</li>\n");
                }

                sb.Append("</ul>\n");
                i--;
            }
            else if (line.Trim().Length == 0)
            {
                Flush();
            }
            else
            {
                paragraph.Add(line);
            }
        }

        Flush();
        sb.Append("</body>\n</html>\n");
        return sb.ToString();

        void Flush()
        {
            if (paragraph.Count > 0)
            {
                var cls = firstParagraphAfterTitle ? " class=\"verdict\"" : string.Empty;
                firstParagraphAfterTitle = false;
                sb.Append("<p").Append(cls).Append('>').Append(Inline(string.Join(' ', paragraph))).Append("</p>\n");
                paragraph.Clear();
            }
        }
    }

    private static void Table(StringBuilder sb, List<string> rows)
    {
        static string[] Cells(string row) => row.Trim().Trim('|').Split('|').Select(c => c.Trim()).ToArray();
        var header = Cells(rows[0]);
        var align = rows.Count > 1 ? Cells(rows[1]).Select(a => a.EndsWith(':')).ToArray() : [];
        sb.Append("<div class=\"table\"><table>\n<tr>");
        foreach (var cell in header)
        {
            sb.Append("<th>").Append(Inline(cell)).Append("</th>");
        }

        sb.Append("</tr>\n");
        foreach (var row in rows.Skip(2))
        {
            sb.Append("<tr>");
            var cells = Cells(row);
            for (var c = 0; c < cells.Length; c++)
            {
                sb.Append(c < align.Length && align[c] ? "<td class=\"n\">" : "<td>").Append(Inline(cells[c])).Append("</td>");
            }

            sb.Append("</tr>\n");
        }

        sb.Append("</table></div>\n");
    }

    private static string Inline(string text)
    {
        var encoded = WebUtility.HtmlEncode(text);
        encoded = CodePattern().Replace(encoded, "<code>$1</code>");
        return BoldPattern().Replace(encoded, "<strong>$1</strong>");
    }

    private static string DataUri(string path) =>
        File.Exists(path) ? "data:image/png;base64," + System.Convert.ToBase64String(File.ReadAllBytes(path)) : string.Empty;

    [GeneratedRegex(@"^!\[([^\]]*)\]\(([^)]+)\)")]
    private static partial Regex ImagePattern();

    [GeneratedRegex("`([^`]+)`")]
    private static partial Regex CodePattern();

    [GeneratedRegex(@"\*\*([^*]+)\*\*")]
    private static partial Regex BoldPattern();
}
