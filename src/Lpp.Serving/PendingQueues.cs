namespace Lpp.Serving;

/// <summary>
/// The review queues' order, kept in memory by the audit store: per escalation queue (and <c>audit</c>), its unreviewed decisions most
/// costly first, lowest score first where costs tie (then oldest first). The <c>pending</c> table is the durable copy
/// (loaded at start-up, about 80 bytes of memory an item); keeping the order here rather than in a SQLite index on
/// (queue, cost, score) spares the writer a random B-tree insert per escalation, which measured as most of its cost.
/// Thread-safe.
/// </summary>
internal sealed class PendingQueues
{
    private readonly Dictionary<string, SortedSet<PendingItem>> _queues = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    public PendingQueues()
    {
        foreach (var queue in Queues.Reviewable)
        {
            _queues[queue] = new SortedSet<PendingItem>(PendingItem.Order);
        }
    }

    /// <summary>How many items a queue holds (0 for a queue that is not an escalation queue).</summary>
    public long Count(string queue)
    {
        lock (_lock)
        {
            return _queues.TryGetValue(queue, out var set) ? set.Count : 0;
        }
    }

    /// <summary>The first <paramref name="limit"/> items of a queue, in review order.</summary>
    public IReadOnlyList<PendingItem> Top(string queue, int limit)
    {
        lock (_lock)
        {
            return _queues.TryGetValue(queue, out var set) ? [.. set.Take(limit)] : [];
        }
    }

    /// <summary>The first <paramref name="limit"/> items of a queue, in review order, that <paramref name="eligible"/> accepts.</summary>
    public IReadOnlyList<PendingItem> Scan(string queue, int limit, Func<PendingItem, bool> eligible)
    {
        lock (_lock)
        {
            return _queues.TryGetValue(queue, out var set) ? [.. set.Where(eligible).Take(limit)] : [];
        }
    }

    /// <summary>Applies one commit's changes: items added, then items closed by reviews.</summary>
    public void Apply(IReadOnlyList<PendingItem> added, IReadOnlyList<PendingItem> removed)
    {
        lock (_lock)
        {
            foreach (var item in added)
            {
                _queues[item.Queue].Add(item);
            }

            foreach (var item in removed)
            {
                _queues[item.Queue].Remove(item);
            }
        }
    }
}
