namespace Lpp.Tests;

public sealed class DriftCounterTests
{
    [Fact]
    public void Add_TrainingRecordsAgain_NoDrift_ShiftedScores_Drift()
    {
        // Given the model trained on gpt-4o/sat and its training records
        var model = TrainedModels.GptSatDefault;
        var extractor = model.CreateExtractor();
        var rows = DecisionRecordReader.ReadValid(SharedData.Path("data/llm-confidence/gpt-4o/sat.jsonl"))
            .Where(r => r.Correct is not null)
            .Select(r => extractor.Extract(r))
            .ToList();

        // When they are counted as they are, and with every score pushed to the lowest bin
        var same = new DriftCounter(model.Profile!);
        var shifted = new DriftCounter(model.Profile!);
        foreach (var row in rows)
        {
            same.Add(model.Score(row), row);
            shifted.Add(0, row);
        }

        // Then the same records give PSI 0 everywhere, the shifted scores a PSI above the 0.2 rule of thumb
        Assert.Equal(206, same.Items);
        Assert.Equal(0, same.ScorePsi, 1e-12);
        Assert.All(same.FeaturePsi(), f => Assert.Equal(0, f.Psi, 1e-12));
        Assert.True(shifted.ScorePsi > 0.2, $"PSI {shifted.ScorePsi}");
    }

    [Fact]
    public void ScorePsi_NothingCounted_IsNaN()
    {
        Assert.True(double.IsNaN(new DriftCounter(TrainedModels.GptSatDefault.Profile!).ScorePsi));
    }
}
