namespace Lpp.Tests;

public sealed class CostRatioSensitivityTests
{
    [Fact]
    public void Measure_AtTheModelsOwnRatio_CostAtChosenTauIsTheEvaluatedCost()
    {
        // Given the sat model (trained at r = 0.64) routing real records
        var records = DecisionRecordReader.ReadValid(SharedData.Path("data/llm-confidence/gpt-4o/sat.jsonl")).ToList();
        var set = Evaluator.Score(TrainedModels.GptSatDefault, records);

        // When the sensitivity table is computed at 0.4, 0.64 and 0.9
        var points = CostRatioSensitivity.Measure(set, [0.4, 0.64, 0.9]);

        // Then at 0.64 the cost at the chosen tau is what evaluation reports; re-optimised taus are the closed form
        // 1 - r/2 (paper form); always-trust costs the 14 errors at every ratio; hindsight is never worse than either
        var measured = set.Measure()[Method.MetaModel];
        Assert.Equal(measured.Cost, points[1].CostAtChosenTau, 12);
        Assert.Equal([0.8, 0.68, 0.55], points.Select(p => Math.Round(p.ReoptimisedTau, 12)));
        Assert.All(points, p => Assert.Equal(14, p.AlwaysTrust, 12));
        Assert.All(points, p => Assert.True(p.CostAtHindsightTau <= Math.Min(p.CostAtChosenTau, p.CostAtReoptimisedTau) + 1e-12));
    }
}
