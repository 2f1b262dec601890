using System.Text;

namespace Lpp.Cli;

/// <summary>Opening inputs and outputs with one-line errors that name the option and the path.</summary>
internal static class OutputFiles
{
    /// <summary>Creates (or replaces) a UTF-8 text file without a byte-order mark, with LF line endings.</summary>
    public static StreamWriter CreateText(string path, string option) =>
        new(Create(path, option), new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), 1 << 16) { NewLine = "\n" };

    /// <summary>Creates (or replaces) a file, creating its folder; a failure is a <see cref="CliException"/>.</summary>
    public static FileStream Create(string path, string option)
    {
        try
        {
            var folder = Path.GetDirectoryName(Path.GetFullPath(path));
            if (folder is not null)
            {
                Directory.CreateDirectory(folder);
            }

            return new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read, 1 << 16);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new CliException($"{option} {path}: cannot write ({e.Message})");
        }
    }

    /// <summary>Checks that every input exists and can be opened, naming the first that cannot.</summary>
    public static void CheckReadable(IEnumerable<string> paths, string option)
    {
        foreach (var path in paths)
        {
            try
            {
                using var _ = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
            {
                throw new CliException($"{option} {path}: cannot read ({e.Message})");
            }
        }
    }
}
