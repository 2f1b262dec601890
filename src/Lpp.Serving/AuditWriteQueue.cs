using System.Threading.Channels;

namespace Lpp.Serving;

/// <summary>
/// The group commit both audit stores write through: decision requests, reviews, claims and model publications wait
/// in one channel; the store's single writer takes everything waiting (up to <see cref="ServeDefaults.MaxCommitRows"/>
/// rows) as one batch and commits it in one transaction (<see cref="CommitAsync"/>). When that fails because of
/// something in the writes (a row a constraint or trigger refuses, a table the store may not write, a deadlock), the
/// writes are committed again one per transaction, so a write the database refuses fails alone and the others are
/// stored. It also keeps the store's health, by the writes that hold decisions only (what <c>/readyz</c> promises):
/// after <see cref="ServeDefaults.UnreadyAfterFailures"/> batches in a row whose decisions all failed, the store is not
/// healthy (<c>/readyz</c> answers 503) until a decision commits again or a probe commit (which writes the rows a
/// decision writes and rolls them back) succeeds; meanwhile the writer is woken every
/// <see cref="ServeDefaults.ProbeIntervalMs"/> to try one, so readiness comes back without traffic. Reviews, claims and
/// model publications that fail get their 503 and count in <c>lpp_audit_failures_total</c>, not towards readiness.
/// </summary>
internal sealed class AuditWriteQueue(ServeMetrics? metrics)
{
    private readonly Channel<AuditWrite> _writes = Channel.CreateUnbounded<AuditWrite>(new UnboundedChannelOptions { SingleReader = true });
    private int _failuresInARow;
    private long _probes;

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

    /// <summary>Whose fault a failed commit is (<see cref="CommitAsync"/>).</summary>
    public enum Fault
    {
        /// <summary>Something in the writes (a constraint, a trigger, a permission on one table, a deadlock): worth committing them one at a time.</summary>
        Writes,

        /// <summary>The store's (disk full, an I/O error, a lost connection): every write would fail alike.</summary>
        Store,
    }

    /// <summary>False once closed (no write is taken any more).</summary>
    public bool Open => !_writes.Reader.Completion.IsCompleted;

    /// <summary>False after <see cref="ServeDefaults.UnreadyAfterFailures"/> batches in a row whose decisions all failed, until a decision or probe commits.</summary>
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

    /// <summary>
    /// Commits <paramref name="batch"/> by <paramref name="commit"/> (one transaction), and when that fails with an
    /// error <paramref name="fault"/> puts on the writes and the batch holds several, commits them again one per
    /// transaction. Completes or fails every write, updates readiness and empties the batch. An exception
    /// <paramref name="fault"/> does not know (null) is not a commit failure and propagates.
    /// </summary>
    public async ValueTask CommitAsync(List<AuditWrite> batch, Func<IReadOnlyList<AuditWrite>, ValueTask> commit, Func<Exception, Fault?> fault)
    {
        var stored = 0;
        var lost = 0;
        var error = await TryCommitAsync(batch, commit, fault).ConfigureAwait(false);
        if (error is null)
        {
            foreach (var write in batch)
            {
                Settle(write, null, ref stored, ref lost);
            }
        }
        else if (batch.Count > 1 && fault(error) == Fault.Writes)
        {
            var one = new AuditWrite[1];
            foreach (var write in batch)
            {
                one[0] = write;
                Settle(write, await TryCommitAsync(one, commit, fault).ConfigureAwait(false), ref stored, ref lost);
            }
        }
        else
        {
            foreach (var write in batch)
            {
                Settle(write, error, ref stored, ref lost);
            }
        }

        if (stored > 0)
        {
            Volatile.Write(ref _failuresInARow, 0);
        }
        else if (lost > 0)
        {
            Interlocked.Increment(ref _failuresInARow);
        }

        batch.Clear();
    }

    /// <summary>Probe commits tried so far, whether they committed or not (what a test waits on).</summary>
    public long Probes => Interlocked.Read(ref _probes);

    /// <summary>A probe commit was tried; when it <paramref name="committed"/>, the store is healthy again.</summary>
    public void Probed(bool committed)
    {
        if (committed)
        {
            Volatile.Write(ref _failuresInARow, 0);
        }

        Interlocked.Increment(ref _probes);
    }

    /// <summary>Takes no more writes; the writer drains what is waiting and stops.</summary>
    public void Close() => _writes.Writer.TryComplete();

    /// <summary>The commit's error, or null when it committed.</summary>
    private async ValueTask<Exception?> TryCommitAsync(IReadOnlyList<AuditWrite> writes, Func<IReadOnlyList<AuditWrite>, ValueTask> commit, Func<Exception, Fault?> fault)
    {
        try
        {
            await commit(writes).ConfigureAwait(false);
        }
        catch (Exception e) when (fault(e) is not null)
        {
            metrics?.AuditFailed();
            return e;
        }

        var rows = 0;
        foreach (var write in writes)
        {
            rows += write.Rows;
        }

        metrics?.AuditCommitted(rows);
        return null;
    }

    /// <summary>Completes the write, or fails it with <paramref name="error"/>, counting its decisions stored or lost.</summary>
    private static void Settle(AuditWrite write, Exception? error, ref int stored, ref int lost)
    {
        if (error is null)
        {
            write.TrySetResult();
            stored += write.Request is null ? 0 : 1;
        }
        else
        {
            write.TrySetException(error);
            lost += write.Request is null ? 0 : 1;
        }
    }
}
