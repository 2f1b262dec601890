namespace Lpp.Cli;

/// <summary>
/// The outputs of the running command that are not in place yet: temporary files to be renamed over their targets
/// and report staging folders. <see cref="CommitAll"/> puts the files in place when the command has completed;
/// <see cref="DiscardAll"/> (a failure, an interruption) deletes whatever is still staged. Thread-safe: an
/// interruption may discard while the command is still writing.
/// </summary>
internal static class StagedOutputs
{
    private static readonly Lock Gate = new();
    private static readonly List<StagedFile> Files = [];
    private static readonly List<string> Folders = [];
    private static bool _closed;

    /// <summary>Registers a temporary file that replaces <paramref name="target"/> on commit.</summary>
    public static void AddFile(string temp, string target, string option, OutputStream stream)
    {
        lock (Gate)
        {
            Files.Add(new StagedFile(temp, target, option, stream));
            if (_closed)
            {
                // The run was interrupted while this file was being opened.
                Discard(temp);
            }
        }
    }

    /// <summary>Registers a report staging folder, deleted by <see cref="DiscardAll"/> unless removed first.</summary>
    public static void AddFolder(string staging)
    {
        lock (Gate)
        {
            Folders.Add(staging);
        }
    }

    /// <summary>Forgets a staging folder (its report was moved into place, or it was deleted).</summary>
    public static void RemoveFolder(string staging)
    {
        lock (Gate)
        {
            Folders.Remove(staging);
        }
    }

    /// <summary>Closes every staged file (flushing it to disk) and renames it over its target, keeping the target's permissions.</summary>
    public static void CommitAll()
    {
        lock (Gate)
        {
            if (_closed)
            {
                return;
            }

            foreach (var file in Files.ToList())
            {
                file.Stream.Dispose();
                try
                {
                    if (!OperatingSystem.IsWindows() && File.Exists(file.Target))
                    {
                        File.SetUnixFileMode(file.Temp, File.GetUnixFileMode(file.Target));
                    }

                    File.Move(file.Temp, file.Target, overwrite: true);
                }
                catch (Exception e) when (OutputFiles.IsIoFailure(e))
                {
                    throw new CliException($"{file.Option} {file.Stream.Path}: cannot write ({OutputFiles.Describe(e)})");
                }

                Files.Remove(file);
            }
        }
    }

    /// <summary>Deletes every staged file and staging folder; later registrations are deleted at once.</summary>
    /// <param name="final">True when the process is about to end (an interruption): nothing may be committed after this.</param>
    public static void DiscardAll(bool final = false)
    {
        lock (Gate)
        {
            _closed |= final;
            foreach (var file in Files)
            {
                Discard(file.Temp);
            }

            Files.Clear();
            foreach (var folder in Folders)
            {
                DeleteFolder(folder);
            }

            Folders.Clear();
        }
    }

    /// <summary>Deletes a folder and everything in it, retrying briefly when files appear meanwhile; best effort.</summary>
    public static void DeleteFolder(string folder)
    {
        for (var attempt = 0; attempt < 3 && Directory.Exists(folder); attempt++)
        {
            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // A plot being written into it meanwhile: try again; a leftover hidden folder never looks like a report.
            }
        }
    }

    private static void Discard(string temp)
    {
        try
        {
            File.Delete(temp);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Best effort: a leftover temporary file is hidden and never has the target's name.
        }
    }

    private sealed record StagedFile(string Temp, string Target, string Option, OutputStream Stream);
}
