using Microsoft.Extensions.Logging;

namespace Lpp.Serving;

/// <summary>
/// Keeps every server on one audit store serving the same model. A model uploaded to any server, or a changed
/// <c>--model</c> file, is published to the store as a new release (<see cref="IAuditStore.PublishModelAsync"/>);
/// each server polls the store's latest release every <see cref="ServeDefaults.ModelPollMs"/> and serves it once
/// verified, writing it over its own <c>--model</c> file so a restart serves it too. At start a server publishes its
/// <c>--model</c> when the store has no release or has never seen that file (a new model is a deployment); a file the
/// store has seen before (an older model, e.g. a replica restarted from a stale file) gives way to the latest release.
/// </summary>
internal sealed class ModelRollout : IAsyncDisposable
{
    private readonly ModelSlot _models;
    private readonly IAuditStore _store;
    private readonly TimeProvider _time;
    private readonly ILogger _log;
    private readonly CancellationTokenSource _stop = new();
    private long _refused;
    private Task? _polling;

    private ModelRollout(ModelSlot models, IAuditStore store, TimeProvider time, ILogger log)
    {
        _models = models;
        _store = store;
        _time = time;
        _log = log;
    }

    /// <summary>Settles which model this server starts with (see the class), then polls for releases.</summary>
    /// <exception cref="ServeException">The store could not be read or written.</exception>
    public static async Task<ModelRollout> StartAsync(ModelSlot models, IAuditStore store, TimeProvider time, ILogger log)
    {
        var rollout = new ModelRollout(models, store, time, log);
        models.Publish = rollout.PublishAsync;
        try
        {
            await rollout.StartWithAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is InvalidOperationException or TimeoutException or System.Data.Common.DbException)
        {
            throw new ServeException($"the audit store could not publish or read the model releases: {e.Message.ReplaceLineEndings(" ")}", e);
        }

        rollout._polling = Task.Run(rollout.PollLoopAsync);
        return rollout;
    }

    public async ValueTask DisposeAsync()
    {
        _models.Publish = null;
        await _stop.CancelAsync().ConfigureAwait(false);
        if (_polling is not null)
        {
            await _polling.ConfigureAwait(false);
        }

        _stop.Dispose();
    }

    /// <summary>Looks at the store's latest release once and serves it if it is newer and verifies. True when swapped.</summary>
    internal bool Poll()
    {
        var release = _store.CurrentModel();
        if (release is null || release.Version <= _models.Release || release.Version == Interlocked.Read(ref _refused))
        {
            return false;
        }

        if (string.Equals(release.Checksum, _models.Current.Checksum, StringComparison.Ordinal))
        {
            return _models.Install(_models.Current, release.Version, "release");
        }

        var candidate = Load(release);
        return candidate is not null && _models.Install(candidate, release.Version, $"release {release.Version} from the store");
    }

    private ValueTask<long> PublishAsync(ServedModel model) => _store.PublishModelAsync(model, _time.GetUtcNow().ToUnixTimeMilliseconds());

    private async Task StartWithAsync()
    {
        var local = _models.Current;
        var release = _store.CurrentModel();
        if (release is not null && string.Equals(release.Checksum, local.Checksum, StringComparison.Ordinal))
        {
            _models.Install(local, release.Version, "start");
            return;
        }

        if (release is null || _store.ModelFile(local.Checksum) is null)
        {
            _models.Install(local, await PublishAsync(local).ConfigureAwait(false), "start");
            return;
        }

        if (Load(release) is { } latest)
        {
            _log.LogWarning("--model holds {Local}, an older model this store has served; serving the store's latest release {Release}, {Latest}, instead (upload a model to roll back)", local.Checksum, release.Version, latest.Checksum);
            _models.Install(latest, release.Version, $"release {release.Version} from the store");
        }
    }

    private ServedModel? Load(ModelRelease release)
    {
        var (candidate, error) = _store.ModelFile(release.Checksum) is { } bytes ? _models.Verify(bytes) : (null, "its model file is not in the store");
        if (candidate is null)
        {
            Interlocked.Exchange(ref _refused, release.Version);
            _log.LogWarning("model release {Release} ({Checksum}) in the store was refused, still serving {Current}: {Reason}", release.Version, release.Checksum, _models.Current.Checksum, error);
        }

        return candidate;
    }

    private async Task PollLoopAsync()
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(ServeDefaults.ModelPollMs), _time);
        var failing = false;
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token).ConfigureAwait(false))
            {
                try
                {
                    Poll();
                    failing = false;
                }
                catch (Exception e) when (e is InvalidOperationException or TimeoutException or System.Data.Common.DbException or IOException)
                {
                    if (!failing)
                    {
                        _log.LogWarning("could not read the model releases from the audit store (retrying every {Ms} ms): {Reason}", ServeDefaults.ModelPollMs, e.Message);
                    }

                    failing = true;
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
