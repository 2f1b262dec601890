using Microsoft.Extensions.Logging;

namespace Lpp.Serving;

/// <summary>
/// The model in service, swapped atomically. A new model (posted, the file changed on disk, or a release another
/// server published to the store) is verified in full first; a bad one is refused with its one-line reason and the
/// old model keeps serving. Requests read <see cref="Current"/> once and use that model for the whole request.
/// Thread-safe.
/// </summary>
internal sealed class ModelSlot : IDisposable
{
    private readonly string _path;
    private readonly TimeProvider _time;
    private readonly ILogger _log;
    private readonly ServeMetrics _metrics;
    private readonly byte[]? _costs;
    private readonly Lock _reloadLock = new();
    private FileSystemWatcher? _watcher;
    private ITimer? _settle;
    private byte[]? _invalid;
    private ServedModel _current;
    private long _release;

    public ModelSlot(string path, TimeProvider time, ILogger log, ServeMetrics metrics, byte[]? costs = null)
    {
        _costs = costs;
        _path = Path.GetFullPath(path);
        _time = time;
        _log = log;
        _metrics = metrics;
        _current = ServedModel.Load("--model", path, time.GetUtcNow(), costs);
    }

    /// <summary>What a look at the model file found (<see cref="CheckFile"/>).</summary>
    public enum FileCheck
    {
        /// <summary>The file holds the model in service.</summary>
        Unchanged,

        /// <summary>The file held a new valid model, now in service.</summary>
        Swapped,

        /// <summary>The file changed while it was read, or did not verify for the first time: look again once it settles.</summary>
        Settling,

        /// <summary>The file still held the same invalid bytes when looked at again: refused and counted.</summary>
        Refused,
    }

    /// <summary>The model in service.</summary>
    public ServedModel Current => Volatile.Read(ref _current);

    /// <summary>The store release in service (0 before the first).</summary>
    public long Release
    {
        get
        {
            lock (_reloadLock)
            {
                return _release;
            }
        }
    }

    /// <summary>
    /// Publishes a model as the store's latest release and returns its number (set by the host): uploads are published
    /// before they are served, file changes once they are.
    /// </summary>
    public Func<ServedModel, ValueTask<long>>? Publish { get; set; }

    /// <summary>Reloads the file whenever it changes on disk (written in place, replaced or renamed over), once it settles.</summary>
    public void Watch()
    {
        _settle = _time.CreateTimer(_ => Settled(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        var directory = Path.GetDirectoryName(_path)!;
        _watcher = new FileSystemWatcher(directory, Path.GetFileName(_path))
        {
            NotifyFilter = NotifyFilters.LastWrite | NotifyFilters.FileName | NotifyFilters.Size | NotifyFilters.CreationTime,
        };
        _watcher.Changed += (_, _) => FileTouched();
        _watcher.Created += (_, _) => FileTouched();
        _watcher.Renamed += (_, e) =>
        {
            if (string.Equals(e.FullPath, _path, StringComparison.Ordinal))
            {
                FileTouched();
            }
        };
        _watcher.EnableRaisingEvents = true;
    }

    /// <summary>Verifies <paramref name="fileBytes"/> as a model file: the model, or null and why it was refused (counted).</summary>
    public (ServedModel? Model, string? Error) Verify(ReadOnlySpan<byte> fileBytes)
    {
        try
        {
            return (ServedModel.From(fileBytes, _time.GetUtcNow(), _costs), null);
        }
        catch (ModelFileException e)
        {
            _metrics.ModelReloadRefused();
            return (null, e.Message);
        }
    }

    /// <summary>
    /// Verifies an uploaded model file; if valid, publishes it to the store (when a publisher is set) and serves it.
    /// Returns the model in service and null, or the old model and why the new one was refused.
    /// </summary>
    /// <exception cref="InvalidOperationException">The store could not publish it (it is then not served).</exception>
    public async ValueTask<(ServedModel Model, string? Error)> ReplaceAsync(ReadOnlyMemory<byte> fileBytes)
    {
        var (candidate, error) = Verify(fileBytes.Span);
        if (candidate is null)
        {
            return (Current, error);
        }

        var release = Publish is { } publish ? await publish(candidate).ConfigureAwait(false) : 0;
        Install(candidate, release, "upload");
        return (Current, null);
    }

    /// <summary>
    /// Serves a verified model as release <paramref name="release"/> (0 outside a store) and writes it over the model
    /// file (atomically, so a restart serves it too), unless a later release is already in service. True when swapped.
    /// </summary>
    public bool Install(ServedModel candidate, long release, string cause)
    {
        lock (_reloadLock)
        {
            if (release != 0 && release < _release)
            {
                return false;
            }

            _release = Math.Max(_release, release);
            if (string.Equals(candidate.Checksum, Current.Checksum, StringComparison.Ordinal))
            {
                return false;
            }

            var temporary = _path + ".uploading";
            File.WriteAllBytes(temporary, candidate.FileBytes);
            File.Move(temporary, _path, overwrite: true);
            Swap(candidate, cause);
            return true;
        }
    }

    /// <summary>
    /// Looks at the model file once: a new valid model is swapped in (and published); a file that changes while it is
    /// read, or fails to verify for the first time, is <see cref="FileCheck.Settling"/> (look again); only the same
    /// invalid bytes seen twice are refused and counted. The watcher calls it once the file has been quiet for
    /// <see cref="ServeDefaults.ModelSettleMs"/>, and again after that long while it is settling.
    /// </summary>
    public FileCheck CheckFile()
    {
        ServedModel? swapped = null;
        try
        {
            lock (_reloadLock)
            {
                byte[] bytes;
                try
                {
                    var before = File.GetLastWriteTimeUtc(_path);
                    bytes = File.ReadAllBytes(_path);
                    if (File.GetLastWriteTimeUtc(_path) != before)
                    {
                        return FileCheck.Settling;
                    }
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    // Missing for a moment (replaced by delete and create) or unreadable: the same rule as invalid bytes.
                    bytes = System.Text.Encoding.UTF8.GetBytes("unreadable: " + e.Message);
                }

                ServedModel candidate;
                try
                {
                    candidate = ServedModel.From(bytes, _time.GetUtcNow(), _costs);
                }
                catch (ModelFileException e)
                {
                    if (_invalid is null || !bytes.AsSpan().SequenceEqual(_invalid))
                    {
                        _invalid = bytes;
                        return FileCheck.Settling;
                    }

                    _invalid = null;
                    _metrics.ModelReloadRefused();
                    _log.LogWarning("model file changed but was refused, still serving {Checksum}: {Reason}", Current.Checksum, e.Message);
                    return FileCheck.Refused;
                }

                _invalid = null;
                if (string.Equals(candidate.Checksum, Current.Checksum, StringComparison.Ordinal))
                {
                    return FileCheck.Unchanged;
                }

                Swap(candidate, "file change");
                swapped = candidate;
                return FileCheck.Swapped;
            }
        }
        finally
        {
            if (swapped is not null && Publish is { } publish)
            {
                _ = PublishChangedAsync(publish, swapped);
            }
        }
    }

    public void Dispose()
    {
        _watcher?.Dispose();
        _settle?.Dispose();
    }

    private async Task PublishChangedAsync(Func<ServedModel, ValueTask<long>> publish, ServedModel model)
    {
        try
        {
            Install(model, await publish(model).ConfigureAwait(false), "file change");
        }
        catch (Exception e) when (e is InvalidOperationException or TimeoutException or System.Data.Common.DbException)
        {
            _log.LogWarning("model {Checksum} from the changed file is served here but could not be published to the store, so other servers keep theirs: {Reason}", model.Checksum, e.Message);
        }
    }

    /// <summary>Each change to the file restarts the settle timer: the file is read once it has been quiet a while.</summary>
    private void FileTouched() => _settle?.Change(TimeSpan.FromMilliseconds(ServeDefaults.ModelSettleMs), Timeout.InfiniteTimeSpan);

    private void Settled()
    {
        if (CheckFile() == FileCheck.Settling)
        {
            FileTouched();
        }
    }

    private void Swap(ServedModel candidate, string cause)
    {
        var old = Interlocked.Exchange(ref _current, candidate);
        _metrics.ModelReloaded();
        _log.LogInformation("model {New} in service ({Cause}), replacing {Old}", candidate.Checksum, cause, old.Checksum);
    }
}
