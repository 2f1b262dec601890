using System.Diagnostics;
using System.Globalization;

namespace Lpp.Cli.Reports;

/// <summary>
/// Writes a report into a hidden staging folder inside the output folder, then moves the files into place with
/// report.html last, so that a failed or interrupted run never leaves a report that looks complete. The output folder
/// is checked for writing before any work starts. A folder reused for another report ends up holding only the new
/// run's files: the files the previous report listed in <c>.lpp-report</c> that this one does not write are removed
/// (files of the user's own are left alone), and staging folders left by killed runs are deleted.
/// </summary>
internal sealed class ReportFolder : IDisposable
{
    /// <summary>The list of the report's files, kept in the output folder.</summary>
    internal const string ManifestName = ".lpp-report";

    private const string StagingPrefix = ".lpp-partial-";
    private const string OwnerName = ".owner";
    private readonly string _option;
    private bool _committed;

    private ReportFolder(string target, string staging, string option)
    {
        Target = target;
        Staging = staging;
        _option = option;
    }

    /// <summary>The output folder.</summary>
    public string Target { get; }

    /// <summary>Where files are written until <see cref="Commit"/>.</summary>
    public string Staging { get; }

    /// <summary>Creates the output folder and its staging folder; an unwritable folder is a one-line user error.</summary>
    public static ReportFolder Open(string? path, string option)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            throw new CliException($"{option} is required");
        }

        try
        {
            var target = Path.GetFullPath(path);
            if (FileIdentity.Of(target)?.Kind is FileKind.Regular or FileKind.Other)
            {
                throw new CliException($"{option} {path}: is a file, not a folder");
            }

            Directory.CreateDirectory(target);
            var staging = Path.Combine(target, StagingPrefix + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(staging);
            StagedOutputs.AddFolder(staging);
            System.IO.File.WriteAllText(Path.Combine(staging, OwnerName), Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
            return new ReportFolder(target, staging, option);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new CliException($"{option} {path}: cannot write ({OutputFiles.Describe(e)})");
        }
    }

    /// <summary>The staging path of a file of the report.</summary>
    public string File(string name) => Path.Combine(Staging, name);

    /// <summary>Runs <paramref name="write"/> (which writes the report's files), turning a disk or permission failure into one line naming the folder.</summary>
    public void Guard(Action write)
    {
        try
        {
            write();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"{_option} {Target}: cannot write ({OutputFiles.Describe(e)})");
        }
    }

    /// <summary>Moves every staged file into the output folder, report.html last.</summary>
    public void Commit()
    {
        try
        {
            var html = Path.Combine(Target, "report.html");
            System.IO.File.Delete(html);
            var names = Directory.GetFiles(Staging).Select(f => Path.GetFileName(f)!).Where(n => !n.StartsWith('.'))
                .OrderBy(n => n == "report.html" ? 1 : 0).ThenBy(n => n, StringComparer.Ordinal).ToList();
            var manifest = Path.Combine(Target, ManifestName);

            // The previous report's files that this one does not replace (an old plot of a method or family no longer shown).
            var stale = System.IO.File.Exists(manifest) ? System.IO.File.ReadAllLines(manifest).Where(IsPlainName).Except(names, StringComparer.Ordinal).ToList() : [];
            System.IO.File.WriteAllLines(Path.Combine(Staging, ManifestName), names);
            System.IO.File.Move(Path.Combine(Staging, ManifestName), manifest, overwrite: true);
            foreach (var name in stale)
            {
                System.IO.File.Delete(Path.Combine(Target, name));
            }

            foreach (var name in names)
            {
                System.IO.File.Move(Path.Combine(Staging, name), Path.Combine(Target, name), overwrite: true);
            }

            Directory.Delete(Staging, recursive: true);
            StagedOutputs.RemoveFolder(Staging);
            _committed = true;
            foreach (var leftover in Directory.GetDirectories(Target, StagingPrefix + "*").Where(Abandoned))
            {
                // Staging folders of runs that were killed (SIGKILL, a power cut) before they could clean up.
                StagedOutputs.DeleteFolder(leftover);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"{_option} {Target}: cannot write ({OutputFiles.Describe(e)})");
        }
    }

    /// <summary>Deletes the staging folder when the report was not committed.</summary>
    public void Dispose()
    {
        if (!_committed)
        {
            StagedOutputs.DeleteFolder(Staging);
            StagedOutputs.RemoveFolder(Staging);
        }
    }

    /// <summary>True when the process that made a staging folder is gone (a run into the same folder may still be writing its own).</summary>
    private static bool Abandoned(string staging)
    {
        try
        {
            var owner = int.Parse(System.IO.File.ReadAllText(Path.Combine(staging, OwnerName)), CultureInfo.InvariantCulture);
            using var process = Process.GetProcessById(owner);
            return process.HasExited;
        }
        catch (Exception e) when (e is ArgumentException or FormatException or OverflowException or IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            // No owner file (an older lpp's folder) or no such process.
            return true;
        }
    }

    /// <summary>A file name with no folder part: a manifest line that could point elsewhere is ignored.</summary>
    private static bool IsPlainName(string name) =>
        name.Length > 0 && name != "." && name != ".." && name.IndexOfAny(['/', '\\']) < 0 && name == Path.GetFileName(name);
}
