namespace Lpp.Tests;

public sealed class DecisionMonitorTests
{
    private static readonly long T = new DateTimeOffset(2026, 1, 2, 3, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();

    [Fact]
    public void Report_HandCountedDecisions_QueuesAuditOverturnAndAlert()
    {
        // Given 4 trusted decisions at audit rate 0.5 (3 audited: one right, one wrong, one unreviewed) and 4
        // escalations (low confidence: right after all, wrong, unreviewed; an evidence abstention reviewed), no profile
        var monitor = new DecisionMonitor(new MonitorOptions { MaxTrustedError = 0.4 });
        monitor.Track("m1", null);
        Add(monitor, new("m1", T + 0, Queues.Auto, "confident", true, 0.5, 0.9, "1", "1"));
        Add(monitor, new("m1", T + 1000, Queues.Auto, "confident", true, 0.5, 0.9, "1", "0"));
        Add(monitor, new("m1", T + 2000, Queues.Auto, "confident", true, 0.5, 0.9, "0", null));
        Add(monitor, new("m1", T + 3000, Queues.Auto, "confident", false, 0.5, 0.9, "0", null));
        Add(monitor, new("m1", T + 4000, Queues.Review, "low_confidence", false, 0.5, 0.3, "1", "1"));
        Add(monitor, new("m1", T + 5000, Queues.Review, "low_confidence", false, 0.5, 0.3, "1", "0"));
        Add(monitor, new("m1", T + 6000, Queues.Review, "low_confidence", false, 0.5, 0.3, "1", null));
        Add(monitor, new("m1", T + 7000, Queues.SeniorReview, "abstain_evidence", false, 0.5, 0.3, "2", "0"));

        // When reported an hour after the first decision
        var report = monitor.Report(T + 3_600_000);

        // Then (counted by hand) 8 decisions, half escalated; the audit queue's one pending item is 3,598 s old,
        // review's 3,594 s; the audit estimate is 1 wrong of 2 reviewed with the exact interval
        // [1 - sqrt(0.975), sqrt(0.975)] (Clopper-Pearson for 1 of 2); overturns 1 of 2 and 0 of 1
        var s = Assert.Single(report.Models).Summary;
        Assert.Equal(8, s.Decisions);
        Assert.Equal(0.5, s.EscalationRatio);
        Assert.Equal(new QueueSummary(4, 0, double.NaN), s.Queues[Queues.Auto]);
        Assert.Equal(new QueueSummary(3, 1, 3598), s.Queues[Queues.Audit]);
        Assert.Equal(new QueueSummary(3, 1, 3594), s.Queues[Queues.Review]);
        Assert.Equal(new QueueSummary(1, 0, double.NaN), s.Queues[Queues.SeniorReview]);
        Assert.Equal(0.5, s.Audit.Rate);
        Assert.Equal(new TrustedErrorEstimate(3, 2, 1), s.Audit.Estimate);
        Assert.Equal(1 - Math.Sqrt(0.975), s.Audit.Estimate.Ci95.Low, 1e-9);
        Assert.Equal(Math.Sqrt(0.975), s.Audit.Estimate.Ci95.High, 1e-9);
        Assert.True(double.IsNaN(s.Audit.Expected));
        Assert.Null(s.Drift);
        Assert.Equal(0.5, s.Overturn["low_confidence"].Rate);
        Assert.Equal(new OverturnSummary(1, 0), s.Overturn["abstain_evidence"]);
        Assert.Empty(report.Models[0].Periods);

        // And the estimated error rate 0.5 above 0.4 is the one alert, in words with its interval
        var alert = Assert.Single(report.Alerts);
        Assert.Equal(("m1", 0.5, 0.4), (alert.Model, alert.Value, alert.Threshold));
        Assert.Contains("error rate among trusted decisions, 0.500 (95% interval 0.013-0.987, 1 wrong of 2 audited), is above 0.4", alert.What, StringComparison.Ordinal);
    }

    [Fact]
    public void Report_ShiftedScore_PsiAlertForTheScoreOnly()
    {
        // Given a profile with the score and topk_msp each split at 0.5 into halves, and no missing values
        var profile = Profile();
        var monitor = new DecisionMonitor(new MonitorOptions());
        monitor.Track("m1", profile);

        // When 10 decisions arrive, 9 scored at or below 0.5 and 1 above, topk_msp half each side
        for (var i = 0; i < 10; i++)
        {
            Add(monitor, new("m1", T + i, Queues.Auto, "confident", false, 0, i < 9 ? 0.4 : 0.9, "1", null), msp: i < 5 ? 0.3 : 0.7);
        }

        var report = monitor.Report(T + 10);

        // Then the score's PSI is (0.9-0.5)ln(0.9/0.5) + (0.1-0.5)ln(0.1/0.5) = 0.8788898309344878 (by hand; the
        // missing category is 0 on both sides), topk_msp's is 0, and only the score raises an alert
        var drift = report.Models[0].Summary.Drift!;
        Assert.Equal(0.8788898309344878, drift.ScorePsi, 1e-12);
        Assert.Equal(0, Assert.Single(drift.Features).Psi, 1e-12);
        Assert.Equal([0.9, 0.1, 0], drift.ScoreObserved);
        Assert.Equal([0.5, 0.5, 0], drift.ScoreExpected);
        Assert.Equal(0.05, report.Models[0].Summary.Audit.Expected);
        var alert = Assert.Single(report.Alerts);
        Assert.Equal((0.8788898309344878, 0.2), (alert.Value, alert.Threshold), new ToleranceComparer());
        Assert.StartsWith("the score's distribution has shifted from training: PSI 0.879 over 10 decisions is above 0.2", alert.What, StringComparison.Ordinal);
    }

    [Fact]
    public void Report_ShadowModel_AgreementAndWeightedCostsCountedByHand()
    {
        // Given a serving model "m1" with a shadow "b1" (paper form, c_error 1, c_review 0.64: trusting costs 0 when
        // right and 1 when wrong, escalating 0.64 and -0.36) at audit rate 0.25, nine decisions (serving; shadow):
        //   1 trusted, audited, right (trust; trust)                 weight 4: costs 0 and 0
        //   2 trusted, audited, wrong (trust; escalate)              weight 4: costs 1 and -0.36
        //   3 trusted, unreviewed (trust; trust)                     not in the estimate
        //   4 trusted, reviewed by id outside the sample (trust; escalate): no known chance of review, left out
        //   5 escalated, reviewed right (escalate; trust)            weight 1: costs 0.64 and 0
        //   6 escalated, reviewed wrong (escalate; escalate)         weight 1: costs -0.36 and -0.36
        //   7 escalated, unreviewed (escalate; escalate)             not in the estimate
        //   8 over_capacity (the model escalated, capacity trusted it), audited, right (escalate; trust): weight 4, costs 0.64 and 0
        //   9 escalated, reviewed, the shadow could not score it     unscored
        var monitor = new DecisionMonitor(new MonitorOptions());
        monitor.Track("m1", null);
        var c = CostModel.Default;
        Add(monitor, new("m1", T, Queues.Auto, "confident", true, 0.25, 0.9, "1", "1", "b1", true, c));
        Add(monitor, new("m1", T, Queues.Auto, "confident", true, 0.25, 0.9, "1", "0", "b1", false, c));
        Add(monitor, new("m1", T, Queues.Auto, "confident", false, 0.25, 0.9, "1", null, "b1", true, c));
        Add(monitor, new("m1", T, Queues.Auto, "confident", false, 0.25, 0.9, "1", "0", "b1", false, c));
        Add(monitor, new("m1", T, Queues.Review, "low_confidence", false, 0.25, 0.3, "1", "1", "b1", true, c));
        Add(monitor, new("m1", T, Queues.Review, "low_confidence", false, 0.25, 0.3, "1", "0", "b1", false, c));
        Add(monitor, new("m1", T, Queues.Review, "low_confidence", false, 0.25, 0.3, "1", null, "b1", false, c));
        Add(monitor, new("m1", T, Queues.Auto, "over_capacity", true, 0.25, 0.3, "1", "1", "b1", true, c));
        Add(monitor, new("m1", T, Queues.Review, "low_confidence", false, 0.25, 0.3, "1", "1", "b1", null, c));

        // When reported
        var shadow = Assert.Single(monitor.Report(T).Models[0].Summary.Shadows);

        // Then (by hand) it scored 8, could not score 1, agreed on 1, 3, 6 and 7 (4 of 8); the estimate rests on
        // decisions 1, 2, 5, 6 and 8 (3 audited), weights summing to 14: serving (0 + 4 + 0.64 - 0.36 + 2.56) / 14 =
        // 6.84 / 14, shadow (0 - 1.44 + 0 - 0.36 + 0) / 14 = -1.8 / 14, difference -8.64 / 14; its interval is
        // ±1.959964 × sqrt(Σ w²(d - D)²) / 14 with d = (0, -1.36, -0.64, 0, -0.64): sqrt(15.312979...) / 14 = 0.2795129
        Assert.Equal("b1", shadow.Key);
        var s = shadow.Value;
        Assert.Equal((8L, 1L, 4L, 0.5), (s.Decisions, s.Unscored, s.Agreed, s.Agreement));
        Assert.Equal((5L, 3L, 14.0), (s.Reviewed, s.AuditedReviewed, s.ReviewedWeight));
        Assert.Equal(6.84 / 14, s.ServingCost, 1e-12);
        Assert.Equal(-1.8 / 14, s.EstimatedCost, 1e-12);
        Assert.Equal(-8.64 / 14, s.Difference, 1e-12);
        Assert.Equal(-8.64 / 14 - (1.959963984540054 * 0.27951287429584737), s.DifferenceCi95.Low, 1e-9);
        Assert.Equal(-8.64 / 14 + (1.959963984540054 * 0.27951287429584737), s.DifferenceCi95.High, 1e-9);
        Assert.Null(s.Missing);
    }

    [Fact]
    public void Report_ShadowWithoutAuditedReviews_NoEstimateAndWhyInWords()
    {
        // Given a shadow beside a model served without an audit sample: trusted decisions, and escalations reviewed
        var monitor = new DecisionMonitor(new MonitorOptions());
        monitor.Track("m1", null);
        var c = CostModel.Default;
        Add(monitor, new("m1", T, Queues.Auto, "confident", false, 0, 0.9, "1", null, "b1", true, c));
        Add(monitor, new("m1", T, Queues.Auto, "confident", false, 0, 0.9, "1", null, "b1", false, c));
        Add(monitor, new("m1", T, Queues.Review, "low_confidence", false, 0, 0.3, "1", "0", "b1", false, c));

        // When reported, and again with nothing reviewed at all (a second model)
        monitor.Track("m2", null);
        Add(monitor, new("m2", T, Queues.Review, "low_confidence", false, 0, 0.3, "1", null, "b1", true, c));
        var report = monitor.Report(T);

        // Then neither has an estimate (NaN, never 0), each says why, and agreement is still counted
        var withoutAudit = report.Models[0].Summary.Shadows["b1"];
        var unreviewed = report.Models[1].Summary.Shadows["b1"];
        Assert.True(double.IsNaN(withoutAudit.EstimatedCost) && double.IsNaN(withoutAudit.ServingCost) && double.IsNaN(withoutAudit.DifferenceCi95.Low));
        Assert.Equal("none of the 2 trusted decisions was reviewed through the audit sample (serve with --audit-rate), so nothing stands for them", withoutAudit.Missing);
        Assert.Equal(2.0 / 3, withoutAudit.Agreement, 1e-12);
        Assert.True(double.IsNaN(unreviewed.EstimatedCost));
        Assert.Equal("none of the 1 decisions the shadow model scored has been reviewed", unreviewed.Missing);
        Assert.Equal(0, unreviewed.Agreement);
    }

    [Fact]
    public void Report_NoShadow_NoShadowSummaries()
    {
        var monitor = new DecisionMonitor(new MonitorOptions());
        monitor.Track("m1", null);
        Add(monitor, new("m1", T, Queues.Auto, "confident", false, 0, 0.9, "1", null));
        Assert.Empty(monitor.Report(T).Models[0].Summary.Shadows);
    }

    [Fact]
    public void Report_ByHour_OnePeriodPerUtcHour()
    {
        // Given decisions at 03:00:00, 03:59:59.999 and 04:00:00 UTC
        var monitor = new DecisionMonitor(new MonitorOptions { By = MonitorPeriod.Hour });
        monitor.Track("m1", null);
        Add(monitor, new("m1", T, Queues.Auto, "confident", false, 0, 0.9, "1", null));
        Add(monitor, new("m1", T + 3_599_999, Queues.Review, "low_confidence", false, 0, 0.2, "1", null));
        Add(monitor, new("m1", T + 3_600_000, Queues.Review, "low_confidence", false, 0, 0.2, "1", null));

        // When reported
        var periods = monitor.Report(T + 3_600_000).Models[0].Periods;

        // Then two periods: 03:00 with 2 decisions (half escalated), 04:00 with 1 (all escalated)
        Assert.Equal([(T, 2L, 0.5), (T + 3_600_000, 1L, 1.0)], periods.Select(p => (p.StartMs, p.Summary.Decisions, p.Summary.EscalationRatio)));
    }

    [Fact]
    public void StartOf_BeforeTheEpoch_FloorsToThePeriod()
    {
        Assert.Equal(-3_600_000, MonitorPeriod.Hour.StartOf(-1));
        Assert.Equal(0, MonitorPeriod.Day.StartOf(86_399_999));
        Assert.Equal(MonitorPeriod.Day, MonitorPeriods.Parse("day"));
        Assert.Throws<FormatException>(() => MonitorPeriods.Parse("week"));
    }

    [Fact]
    public void Add_ModelNotTracked_Throws()
    {
        var monitor = new DecisionMonitor(new MonitorOptions());
        Assert.Throws<InvalidOperationException>(() => monitor.Add(new("m1", T, Queues.Auto, "confident", false, 0, 0.9, "1", null), []));
    }

    [Fact]
    public void Options_OutOfRange_MessageNamesTheOption()
    {
        Assert.StartsWith("--max-psi must be a number above 0 (got 0)", Assert.Throws<ArgumentOutOfRangeException>(() => new DecisionMonitor(new MonitorOptions { MaxPsi = 0 })).Message, StringComparison.Ordinal);
        Assert.StartsWith("--max-trusted-error must be a number between 0 and 1 (got 1.5)", Assert.Throws<ArgumentOutOfRangeException>(() => new MonitorOptions { MaxTrustedError = 1.5 }.Validate()).Message, StringComparison.Ordinal);
        Assert.Equal(0.2, new MonitorOptions().MaxPsi);
        Assert.Null(new MonitorOptions().MaxTrustedError);
        Assert.Equal(MonitorPeriod.None, new MonitorOptions().By);
    }

    private static void Add(DecisionMonitor monitor, MonitoredDecision d, double msp = double.NaN)
    {
        var features = new double[FeatureSchema.Count];
        Array.Fill(features, double.NaN);
        features[FeatureSchema.IndexOf("topk_msp")] = msp;
        monitor.Add(d, features);
    }

    private static TrainingProfile Profile() => new(
        100,
        [new BinnedProfile("topk_msp", [0.5], [0.5, 0.5], 0)],
        new BinnedProfile("score", [0.5], [0.5, 0.5], 0),
        0.3,
        0.05);

    private sealed class ToleranceComparer : IEqualityComparer<(double, double)>
    {
        public bool Equals((double, double) x, (double, double) y) => Math.Abs(x.Item1 - y.Item1) < 1e-12 && Math.Abs(x.Item2 - y.Item2) < 1e-12;

        public int GetHashCode((double, double) obj) => 0;
    }
}
