using Microsoft.Extensions.Logging;

namespace Lpp.Serving;

/// <summary>
/// The model in service, swapped atomically. A new model (posted, or the file changed on disk) is verified in full
/// first; a bad one is refused with its one-line reason and the old model keeps serving. Requests read
/// <see cref="Current"/> once and use that model for the whole request. Thread-safe.
/// </summary>
internal sealed class ModelSlot : IDisposable
{
    private readonly string _path;
    private readonly TimeProvider _time;
    private readonly ILogger _log;
    private readonly ServeMetrics _metrics;
    private readonly Lock _reloadLock = new();
    private FileSystemWatcher? _watcher;
    private ServedModel _current;

    public ModelSlot(string path, TimeProvider time, ILogger log, ServeMetrics metrics)
    {
        _path = Path.GetFullPath(path);
        _time = time;
        _log = log;
        _metrics = metrics;
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(_path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ServeException($"--model {path}: cannot read ({e.Message})");
        }

        try
        {
            _current = ServedModel.From(bytes, time.GetUtcNow());
        }
        catch (ModelFileException e)
        {
            throw new ServeException($"--model {path}: {e.Message}");
        }
    }

    /// <summary>The model in service.</summary>
    public ServedModel Current => Volatile.Read(ref _current);

    /// <summary>Reloads the file whenever it changes on disk (written in place, replaced or renamed over).</summary>
    public void Watch()
    {
        var directory = Path.GetDirectoryName(_path)!;
        _watcher = new FileSystemWatcher(directory, Path.GetFileName(_path))
        {
            NotifyFilter = NotifyFilters.LastWrite | NotifyFilters.FileName | NotifyFilters.Size | NotifyFilters.CreationTime,
        };
        _watcher.Changed += (_, _) => ReloadFromDisk();
        _watcher.Created += (_, _) => ReloadFromDisk();
        _watcher.Renamed += (_, e) =>
        {
            if (string.Equals(e.FullPath, _path, StringComparison.Ordinal))
            {
                ReloadFromDisk();
            }
        };
        _watcher.EnableRaisingEvents = true;
    }

    /// <summary>
    /// Verifies <paramref name="fileBytes"/> as a model file; if valid, writes it over the model file (atomically, so
    /// a restart serves it too) and swaps it in. Returns the model in service and null, or the old model and why
    /// the new one was refused.
    /// </summary>
    public (ServedModel Model, string? Error) Replace(ReadOnlySpan<byte> fileBytes)
    {
        ServedModel candidate;
        try
        {
            candidate = ServedModel.From(fileBytes, _time.GetUtcNow());
        }
        catch (ModelFileException e)
        {
            _metrics.ModelReloadRefused();
            return (Current, e.Message);
        }

        lock (_reloadLock)
        {
            var temporary = _path + ".uploading";
            File.WriteAllBytes(temporary, fileBytes);
            File.Move(temporary, _path, overwrite: true);
            Swap(candidate, "upload");
        }

        return (candidate, null);
    }

    /// <summary>Reads the model file again; a file that does not verify is logged and refused.</summary>
    public void ReloadFromDisk()
    {
        lock (_reloadLock)
        {
            ServedModel candidate;
            try
            {
                candidate = ServedModel.From(File.ReadAllBytes(_path), _time.GetUtcNow());
            }
            catch (Exception e) when (e is ModelFileException or IOException or UnauthorizedAccessException)
            {
                _metrics.ModelReloadRefused();
                _log.LogWarning("model file changed but was refused, still serving {Checksum}: {Reason}", Current.Checksum, e.Message);
                return;
            }

            if (!string.Equals(candidate.Checksum, Current.Checksum, StringComparison.Ordinal))
            {
                Swap(candidate, "file change");
            }
        }
    }

    public void Dispose() => _watcher?.Dispose();

    private void Swap(ServedModel candidate, string cause)
    {
        var old = Interlocked.Exchange(ref _current, candidate);
        _metrics.ModelReloaded();
        _log.LogInformation("model {New} in service ({Cause}), replacing {Old}", candidate.Checksum, cause, old.Checksum);
    }
}
