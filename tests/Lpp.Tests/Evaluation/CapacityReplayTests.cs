namespace Lpp.Tests;

public sealed class CapacityReplayTests
{
    [Fact]
    public void Run_HandExample_BySavingKeepsCapacityForTheItemWorthMost()
    {
        // Given 5 arrivals, a window of 4 and capacity for a quarter of them (1 per window):
        // i0 score 0.10 wrong, i1 score 0.05 wrong (escalated by the model), i2 and i3 trusted and right,
        // i4 score 0.30 right (escalated by the model)
        EvaluatedRecord[] rows =
        [
            Row(0.10, trust: false, correct: false),
            Row(0.05, trust: false, correct: false),
            Row(0.90, trust: true, correct: true),
            Row(0.90, trust: true, correct: true),
            Row(0.30, trust: false, correct: true),
        ];

        var results = CapacityReplay.Run(rows, CostModel.Default, share: 0.25, window: 4).ToDictionary(r => r.Policy);

        // Then, by hand (paper form, c_error 1, c_review 0.64: escalated wrong -0.36, escalated right 0.64, trusted wrong 1):
        // unconstrained escalates i0, i1, i4: -0.36 - 0.36 + 0.64 = -0.08
        Assert.Equal(-0.08, results["unconstrained"].Cost, 1e-12);
        Assert.Equal(3, results["unconstrained"].Escalated);
        // first come admits i0, trusts i1 (full), admits i4 once i0 left the window: -0.36 + 1 + 0.64 = 1.28
        Assert.Equal(1.28, results["first_come"].Cost, 1e-12);
        Assert.Equal(2, results["first_come"].Escalated);
        // by saving admits i0, trusts i1 (full) and i4 (i1, still in the window, was worth more): -0.36 + 1 = 0.64
        Assert.Equal(0.64, results["by_saving"].Cost, 1e-12);
        Assert.Equal(1, results["by_saving"].Escalated);
    }

    [Fact]
    public void Run_FullCapacity_EveryPolicyIsTheUnconstrainedOne()
    {
        EvaluatedRecord[] rows = [Row(0.1, false, false), Row(0.2, false, true), Row(0.9, true, true)];

        var results = CapacityReplay.Run(rows, CostModel.Default, share: 1);

        Assert.All(results, r => Assert.Equal(results[0].Cost, r.Cost));
    }

    [Fact]
    public void Run_ForcedEscalations_AreNeverTrusted()
    {
        // Given two abstentions (forced) and no capacity at all
        EvaluatedRecord[] rows = [Row(0.9, false, false) with { Forced = true }, Row(0.9, false, true) with { Forced = true }];

        var results = CapacityReplay.Run(rows, CostModel.Default, share: 0);

        Assert.All(results, r => Assert.Equal(2, r.Escalated));
    }

    [Fact]
    public void ExpectedSaving_IsTheClosedForm()
    {
        const double score = 0.1;
        // Paper form: 2·c_error·(1 - s) - c_review = 2·0.9 - 0.64 = 1.16; absolute: c_error·(1 - s) - c_review = 0.26
        Assert.Equal(1.16, CapacityReplay.ExpectedSaving(CostModel.Default, score), 1e-12);
        Assert.Equal(0.26, CapacityReplay.ExpectedSaving(new CostModel(CostForm.Absolute, 1, 0.64), score), 1e-12);
    }

    [Fact]
    public void Run_ShareOutsideZeroToOne_IsRefused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => CapacityReplay.Run([], CostModel.Default, 1.5));
    }

    private static EvaluatedRecord Row(double score, bool trust, bool correct)
    {
        var scores = new Dictionary<Method, double> { [Method.MetaModel] = score };
        var decisions = new Dictionary<Method, bool> { [Method.MetaModel] = trust };
        return new EvaluatedRecord("x", SourceAttributes.Empty, correct, scores, decisions);
    }
}
