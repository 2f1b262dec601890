using System.Collections.Immutable;
using System.Globalization;

namespace Lpp.Serving;

/// <summary>
/// Reviewers' capacity per escalation queue, <c>lpp serve --capacity review=600/h,senior_review=60/h</c>: at most so
/// many escalations to the queue over the trailing hour (<see cref="CapacityGate"/>).
/// </summary>
public sealed class ReviewCapacity
{
    private ReviewCapacity(ImmutableSortedDictionary<string, int> perHour) => PerHour = perHour;

    /// <summary>Escalations per hour, by queue (<c>review</c>, <c>senior_review</c>, <c>policy_review</c>).</summary>
    public ImmutableSortedDictionary<string, int> PerHour { get; }

    /// <summary>Parses <c>QUEUE=N/h[,QUEUE=N/h...]</c>.</summary>
    /// <exception cref="FormatException">
    /// An entry without <c>=</c>, a queue that is not an escalation queue, a queue given twice, or a rate that is not a
    /// whole number of at least 1 followed by <c>/h</c> (the message names the entry).
    /// </exception>
    public static ReviewCapacity Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var perHour = ImmutableSortedDictionary.CreateBuilder<string, int>(StringComparer.Ordinal);
        foreach (var entry in text.Split(',', StringSplitOptions.TrimEntries))
        {
            var parts = entry.Split('=', 2, StringSplitOptions.TrimEntries);
            if (parts.Length != 2 || parts[0].Length == 0)
            {
                throw new FormatException($"'{entry}' is not QUEUE=N/h (e.g. review=600/h,senior_review=60/h)");
            }

            var (queue, rate) = (parts[0], parts[1]);
            if (!Queues.Escalation.Contains(queue))
            {
                throw new FormatException($"'{entry}': unknown queue '{queue}' (the escalation queues are {string.Join(", ", Queues.Escalation)})");
            }

            if (perHour.ContainsKey(queue))
            {
                throw new FormatException($"'{entry}': queue '{queue}' is given twice");
            }

            if (!rate.EndsWith("/h", StringComparison.Ordinal))
            {
                throw new FormatException($"'{entry}': the rate must be per hour, N/h (e.g. {queue}=600/h)");
            }

            if (!int.TryParse(rate.AsSpan(0, rate.Length - 2), NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n < 1)
            {
                throw new FormatException($"'{entry}': the rate must be a whole number of items of at least 1 per hour, N/h (got '{rate}')");
            }

            perHour[queue] = n;
        }

        return new ReviewCapacity(perHour.ToImmutable());
    }

    /// <summary>The form <see cref="Parse"/> reads, queues in name order.</summary>
    public override string ToString() => string.Join(',', PerHour.Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Key}={p.Value}/h")));
}
