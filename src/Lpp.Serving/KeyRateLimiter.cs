using System.Collections.Concurrent;

namespace Lpp.Serving;

/// <summary>
/// A token bucket per API key: <c>rate</c> requests (or batch records) per second, up to <c>burst</c> at once. Time comes from the
/// injected <see cref="TimeProvider"/>. Thread-safe.
/// </summary>
internal sealed class KeyRateLimiter(double rate, double burst, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, Bucket> _buckets = new(StringComparer.Ordinal);

    /// <summary>Whether limiting is on (rate &gt; 0).</summary>
    public bool Enabled => rate > 0;

    /// <summary>Takes one token from <paramref name="key"/>'s bucket; when it is empty, returns false and how long until one is free.</summary>
    public bool TryAcquire(string key, out TimeSpan retryAfter) => TryAcquire(key, 1, out retryAfter);

    /// <summary>
    /// Takes <paramref name="cost"/> tokens (a batch's records) from <paramref name="key"/>'s bucket. Admitted when the
    /// bucket holds that many, or a full burst for a cost above the burst (the bucket then goes into debt, so the key
    /// keeps to its rate on average); otherwise returns false and how long until it would be admitted.
    /// </summary>
    public bool TryAcquire(string key, double cost, out TimeSpan retryAfter)
    {
        retryAfter = TimeSpan.Zero;
        if (!Enabled)
        {
            return true;
        }

        var bucket = _buckets.GetOrAdd(key, _ => new Bucket(burst, time.GetTimestamp()));
        lock (bucket)
        {
            var now = time.GetTimestamp();
            bucket.Tokens = Math.Min(burst, bucket.Tokens + (time.GetElapsedTime(bucket.Stamp, now).TotalSeconds * rate));
            bucket.Stamp = now;
            var needed = Math.Min(cost, burst);
            if (bucket.Tokens >= needed)
            {
                bucket.Tokens -= cost;
                return true;
            }

            retryAfter = TimeSpan.FromSeconds((needed - bucket.Tokens) / rate);
            return false;
        }
    }

    private sealed class Bucket(double tokens, long stamp)
    {
        public double Tokens { get; set; } = tokens;

        public long Stamp { get; set; } = stamp;
    }
}
