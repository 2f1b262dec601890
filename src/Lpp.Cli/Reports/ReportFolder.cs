namespace Lpp.Cli.Reports;

/// <summary>
/// Writes a report into a hidden staging folder inside the output folder, then moves the files into place with
/// report.html last, so that a failed run never leaves a report that looks complete. The output folder is checked
/// for writing before any work starts.
/// </summary>
internal sealed class ReportFolder : IDisposable
{
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
            Directory.CreateDirectory(target);
            var staging = Path.Combine(target, ".lpp-partial-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(staging);
            System.IO.File.WriteAllBytes(Path.Combine(staging, ".probe"), []);
            System.IO.File.Delete(Path.Combine(staging, ".probe"));
            return new ReportFolder(target, staging, option);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new CliException($"{option} {path}: cannot write ({e.Message})");
        }
    }

    /// <summary>The staging path of a file of the report.</summary>
    public string File(string name) => Path.Combine(Staging, name);

    /// <summary>Moves every staged file into the output folder, report.html last.</summary>
    public void Commit()
    {
        try
        {
            var html = Path.Combine(Target, "report.html");
            System.IO.File.Delete(html);
            var files = Directory.GetFiles(Staging).OrderBy(f => Path.GetFileName(f) == "report.html" ? 1 : 0).ThenBy(f => f, StringComparer.Ordinal);
            foreach (var file in files)
            {
                System.IO.File.Move(file, Path.Combine(Target, Path.GetFileName(file)), overwrite: true);
            }

            Directory.Delete(Staging, recursive: true);
            _committed = true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"{_option} {Target}: cannot write ({e.Message})");
        }
    }

    /// <summary>Deletes the staging folder when the report was not committed.</summary>
    public void Dispose()
    {
        if (!_committed)
        {
            try
            {
                Directory.Delete(Staging, recursive: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Best effort: a leftover hidden staging folder never looks like a report.
            }
        }
    }
}
