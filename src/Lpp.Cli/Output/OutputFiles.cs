using System.Text;

namespace Lpp.Cli;

/// <summary>
/// Opening inputs and outputs with one-line errors that name the option and the path. An output file is written to a
/// temporary file beside it and renamed into place only when the command completes (<see cref="StagedOutputs"/>), so
/// a failed or interrupted run leaves the old file, never a half-written one; an output that is one of the command's
/// inputs is refused before anything is opened for writing.
/// </summary>
internal static class OutputFiles
{
    /// <summary>Creates (or replaces, when the command completes) a UTF-8 text file without a byte-order mark, with LF line endings.</summary>
    public static StreamWriter CreateText(string path, string option) =>
        new(Create(path, option), new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), 1 << 16) { NewLine = "\n" };

    /// <summary>
    /// Opens an output, creating its folder: a temporary file beside <paramref name="path"/> that replaces it when the
    /// command completes; a device or pipe (<c>/dev/stdout</c>) is written in place. A failure is a <see cref="CliException"/>.
    /// </summary>
    public static OutputStream Create(string path, string option)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            throw new CliException($"{option} is empty");
        }

        try
        {
            var full = Path.GetFullPath(path);
            switch (FileIdentity.Of(full)?.Kind)
            {
                case FileKind.Directory:
                    throw new CliException($"{option} {path}: is a folder, not a file");
                case FileKind.Other:
                    return new OutputStream(new FileStream(full, FileMode.Open, FileAccess.Write, FileShare.ReadWrite, 1), option, path, staged: false);
            }

            var folder = Path.GetDirectoryName(full)!;
            Directory.CreateDirectory(folder);
            var temp = Path.Combine(folder, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.lpp-tmp");
            var stream = new OutputStream(new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.Read, 1), option, path, staged: true);
            StagedOutputs.AddFile(temp, full, option, stream);
            return stream;
        }
        catch (Exception e) when (IsIoFailure(e))
        {
            throw new CliException($"{option} {path}: cannot write ({Describe(e)})");
        }
    }

    /// <summary>Checks that every input exists and can be opened, naming the first that cannot.</summary>
    public static void CheckReadable(IEnumerable<string> paths, string option)
    {
        foreach (var path in paths)
        {
            if (FileIdentity.Of(path)?.Kind == FileKind.Directory)
            {
                throw new CliException($"{option} {path}: is a folder, not a file");
            }

            try
            {
                using var _ = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1);
            }
            catch (Exception e) when (IsIoFailure(e))
            {
                throw new CliException($"{option} {path}: cannot read ({Describe(e)})");
            }
        }
    }

    /// <summary>
    /// Refuses an output that is one of the inputs (the same path once resolved, or the same file by device and
    /// inode: a hard or symbolic link) or that two output options share, before anything is opened for writing.
    /// </summary>
    /// <param name="inputs">Each input with the option that named it.</param>
    /// <param name="outputs">Each output with its option; null paths (an option not given) are skipped.</param>
    public static void RefuseOverlap(IEnumerable<(string Option, string Path)> inputs, params (string Option, string? Path)[] outputs)
    {
        var read = inputs.Select(i => (i.Option, i.Path, Id: Identity(i.Path))).ToList();
        var written = new List<(string Option, string Path, string Key)>();
        foreach (var (option, path) in outputs)
        {
            if (path is null)
            {
                continue;
            }

            var key = Identity(path);
            foreach (var input in read.Where(i => i.Id == key))
            {
                throw new CliException($"{option} {path} is the same file as {input.Option} {input.Path}: writing it would destroy the input (choose another {option})");
            }

            foreach (var other in written.Where(w => w.Key == key))
            {
                throw new CliException($"{option} {path} is the same file as {other.Option} {other.Path} (choose another {option})");
            }

            written.Add((option, path, key));
        }
    }

    /// <summary>Shorthand for the common case: one input option, its files, and the outputs.</summary>
    public static void RefuseOverlap(string inputOption, IEnumerable<string> inputs, params (string Option, string? Path)[] outputs) =>
        RefuseOverlap(inputs.Select(i => (inputOption, i)), outputs);

    /// <summary>True for the exceptions file operations throw for environmental reasons (disk, permissions, paths).</summary>
    public static bool IsIoFailure(Exception e) => e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException;

    /// <summary>The cause of an I/O failure in a few words, without the .NET wording that repeats the path.</summary>
    public static string Describe(Exception e)
    {
        var text = e switch
        {
            UnauthorizedAccessException => "permission denied",
            FileNotFoundException or DirectoryNotFoundException => "no such file or folder",
            _ => e.Message,
        };

        // .NET appends " : '/the/path'" or quotes the path ("Could not find a part of the path '/x'.").
        var cut = text.IndexOf(" : '", StringComparison.Ordinal);
        text = cut > 0 ? text[..cut] : text;
        text = text.TrimEnd('.');
        return text.Length > 0 ? char.ToLowerInvariant(text[0]) + text[1..] : "unknown failure";
    }

    /// <summary>A key equal for two paths that name the same file: device and inode where the file exists, else the full path.</summary>
    private static string Identity(string path)
    {
        var full = Path.GetFullPath(path);
        return FileIdentity.Of(full)?.Key ?? "path:" + full;
    }
}
