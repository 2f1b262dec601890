namespace Lpp;

/// <summary>
/// Replays labelled items in arrival order under a review capacity: at most ⌊share · W⌋ escalations among any W
/// consecutive arrivals (W = <see cref="Window"/> unless given, or every item when there are fewer), the offline image of
/// <c>lpp serve --capacity</c>'s trailing hour. Three policies are counted in the same costs:
/// <list type="bullet">
/// <item><c>unconstrained</c>: the model's decisions as they are;</item>
/// <item><c>by_saving</c>: <c>lpp serve --capacity</c>'s rule (<see cref="CapacityWindow"/>, time counted in
/// arrivals): an item the model escalates on its score is admitted when the window has room and its expected saving
/// (<see cref="ExpectedSaving"/>, in the item's own costs) is among the ⌊share · W⌋ largest of the escalations offered
/// in the trailing window (in the first window, among a share of them as large as the share of the window seen), so
/// capacity is kept for the items where review is worth most; otherwise it is trusted (<c>over_capacity</c>);</item>
/// <item><c>first_come</c>: an escalation is admitted while the window has room, whatever its saving.</item>
/// </list>
/// Abstentions and unparseable answers are always escalated (trusting them means acting on no answer) and use
/// capacity like the others.
/// </summary>
public static class CapacityReplay
{
    /// <summary>The window of the replay, in arrivals: 1,000.</summary>
    public const int Window = 1000;

    /// <summary>Replays <paramref name="rows"/> (labelled ones, in order) with the meta-model's decisions under <paramref name="share"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="share"/> is not in [0, 1].</exception>
    public static IReadOnlyList<CapacityPolicyResult> Run(IReadOnlyList<EvaluatedRecord> rows, CostModel cost, double share, int window = Window)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(window, 1);
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(cost);
        if (!(share >= 0 && share <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(share), share, $"capacity share must lie in [0, 1] (got {share})");
        }

        var labelled = rows.Where(r => r.Correct is not null).ToList();
        var n = labelled.Count;
        window = Math.Min(window, Math.Max(n, 1));
        var capacity = (int)Math.Floor(share * window);
        var meta = Method.MetaModel;
        var unconstrained = labelled.Select(r => r.Trust[meta]).ToArray();
        var bySaving = new bool[n];
        var firstCome = new bool[n];
        double Saving(EvaluatedRecord r) => ExpectedSaving(r.Cost ?? cost, r.Scores[meta]);
        var bySavingWindow = new CapacityWindow(capacity, window, start: 0);
        var admittedFirst = new Queue<int>();
        for (var i = 0; i < n; i++)
        {
            Expire(admittedFirst, i, window);
            var row = labelled[i];
            if (unconstrained[i])
            {
                bySaving[i] = firstCome[i] = true;
                continue;
            }

            bySaving[i] = !bySavingWindow.Offer(i, Saving(row), row.Forced);
            if (row.Forced)
            {
                admittedFirst.Enqueue(i);
                continue;
            }

            firstCome[i] = admittedFirst.Count >= capacity;
            if (!firstCome[i])
            {
                admittedFirst.Enqueue(i);
            }
        }

        return
        [
            Result("unconstrained", unconstrained, labelled, cost),
            Result("by_saving", bySaving, labelled, cost),
            Result("first_come", firstCome, labelled, cost),
        ];
    }

    /// <summary>
    /// The expected saving of reviewing an item with score s = P(correct) rather than trusting it: the expected cost
    /// of trusting, c_error(1 − s), less that of reviewing, c_review − c_error(1 − s) in the paper's form (so
    /// 2c_error(1 − s) − c_review) or c_review in the absolute one. The lower the score, the larger.
    /// </summary>
    public static double ExpectedSaving(CostModel cost, double score)
    {
        ArgumentNullException.ThrowIfNull(cost);
        var trust = cost.CError * (1 - score);
        return cost.Form == CostForm.Paper ? trust - (cost.CReview - trust) : trust - cost.CReview;
    }

    private static void Expire(Queue<int> queue, int now, int window)
    {
        while (queue.Count > 0 && queue.Peek() <= now - window)
        {
            queue.Dequeue();
        }
    }

    private static CapacityPolicyResult Result(string name, bool[] trust, List<EvaluatedRecord> rows, CostModel cost)
    {
        var total = 0.0;
        var escalated = 0;
        for (var i = 0; i < rows.Count; i++)
        {
            total += (rows[i].Cost ?? cost).ItemCost(trust[i], rows[i].Correct == true);
            escalated += trust[i] ? 0 : 1;
        }

        return new CapacityPolicyResult(name, total, escalated, rows.Count);
    }
}
