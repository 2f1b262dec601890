using System.Threading.Channels;

namespace Lpp.Serving;

/// <summary>
/// The group commit both audit stores write through: decision requests, reviews, claims and model publications wait
/// in one channel; the store's single writer takes everything waiting (up to <see cref="ServeDefaults.MaxCommitRows"/>
/// rows) as one batch, commits it in one transaction and completes, or fails, every write in it. It also keeps the
/// store's health: after <see cref="ServeDefaults.UnreadyAfterFailures"/> failed commits in a row the store is not
/// healthy (<c>/readyz</c> answers 503) until a commit succeeds again; meanwhile the writer is woken every
/// <see cref="ServeDefaults.ProbeIntervalMs"/> to try a probe commit, so readiness comes back without traffic.
/// </summary>
internal sealed class AuditWriteQueue(ServeMetrics? metrics)
{
    private readonly Channel<AuditWrite> _writes = Channel.CreateUnbounded<AuditWrite>(new UnboundedChannelOptions { SingleReader = true });
    private int _failuresInARow;

    /// <summary>What the writer should do next (<see cref="WaitAsync"/>).</summary>
    public enum Next
    {
        /// <summary>Writes are waiting: take them.</summary>
        Take,

        /// <summary>The store is failing and nothing came for a while: try a probe commit.</summary>
        Probe,

        /// <summary>The queue is closed and drained: stop.</summary>
        Stop,
    }

    /// <summary>False once closed (no write is taken any more).</summary>
    public bool Open => !_writes.Reader.Completion.IsCompleted;

    /// <summary>False after <see cref="ServeDefaults.UnreadyAfterFailures"/> failed commits in a row, until one succeeds.</summary>
    public bool Healthy => Volatile.Read(ref _failuresInARow) < ServeDefaults.UnreadyAfterFailures;

    /// <summary>Queues a write; the task completes when its commit does, and fails if the queue is closed or the commit fails.</summary>
    public Task Enqueue(AuditWrite write) =>
        _writes.Writer.TryWrite(write) ? write.Task : Task.FromException(new InvalidOperationException("the audit store is closed"));

    /// <summary>Waits for writes, or, while the store is failing, at most <see cref="ServeDefaults.ProbeIntervalMs"/>.</summary>
    public async Task<Next> WaitAsync()
    {
        var waiting = _writes.Reader.WaitToReadAsync();
        if (!Healthy && !waiting.IsCompleted)
        {
            var task = waiting.AsTask();
            if (await Task.WhenAny(task, Task.Delay(ServeDefaults.ProbeIntervalMs)).ConfigureAwait(false) != task)
            {
                return Next.Probe;
            }

            return await task.ConfigureAwait(false) ? Next.Take : Next.Stop;
        }

        return await waiting.ConfigureAwait(false) ? Next.Take : Next.Stop;
    }

    /// <summary>Moves what is waiting into <paramref name="batch"/>, up to <see cref="ServeDefaults.MaxCommitRows"/> rows; the rows taken.</summary>
    public int Take(List<AuditWrite> batch)
    {
        var rows = 0;
        while (rows < ServeDefaults.MaxCommitRows && _writes.Reader.TryRead(out var next))
        {
            batch.Add(next);
            rows += next.Rows;
        }

        return rows;
    }

    /// <summary>The batch's commit succeeded: completes each write and empties the batch.</summary>
    public void Committed(List<AuditWrite> batch, int rows)
    {
        Volatile.Write(ref _failuresInARow, 0);
        metrics?.AuditCommitted(rows);
        foreach (var write in batch)
        {
            write.TrySetResult();
        }

        batch.Clear();
    }

    /// <summary>The batch's commit failed: fails each write with <paramref name="error"/> and empties the batch.</summary>
    public void Failed(List<AuditWrite> batch, Exception error)
    {
        Interlocked.Increment(ref _failuresInARow);
        metrics?.AuditFailed();
        foreach (var write in batch)
        {
            write.TrySetException(error);
        }

        batch.Clear();
    }

    /// <summary>A probe commit succeeded: the store is healthy again.</summary>
    public void Recovered() => Volatile.Write(ref _failuresInARow, 0);

    /// <summary>Takes no more writes; the writer drains what is waiting and stops.</summary>
    public void Close() => _writes.Writer.TryComplete();
}
