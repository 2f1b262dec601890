namespace Lpp.Tests;

public sealed class EvaluationSummaryTests
{
    [Fact]
    public void From_TwoGroups_GroupsSumToTheWhole()
    {
        // Given real records split by a made-up source attribute "part" (alternating a/b) and 5 without truth
        var records = DecisionRecordReader.ReadValid(SharedData.Path("data/llm-confidence/gpt-4o/sat.jsonl"))
            .Select((r, i) => r with
            {
                Source = new Dictionary<string, string>(r.Source) { ["part"] = i % 2 == 0 ? "a" : "b" },
                Truth = i < 5 ? null : r.Truth,
            }).ToList();

        // When summarised
        var s = EvaluationSummary.From(Evaluator.Score(TrainedModels.GptSatDefault, records), 20, 1);

        // Then only "part" varies; its groups' counts and confusion cells add up to the whole, and the 5 without truth are counted apart
        Assert.Equal(["part"], s.Groups.Select(g => g.Attribute).Distinct());
        Assert.Equal((206, 201, 5), (s.Records, s.Labelled, s.WithoutTruth));
        Assert.Equal(s.Labelled, s.Groups.Sum(g => g.Records));
        Assert.Equal(s.Errors, s.Groups.Sum(g => g.Errors));
        foreach (var method in Evaluator.Methods)
        {
            var whole = s.Methods[method];
            Assert.Equal((whole.Tp, whole.Fp, whole.Tn, whole.Fn), (s.Groups.Sum(g => g.Methods[method].Tp), s.Groups.Sum(g => g.Methods[method].Fp), s.Groups.Sum(g => g.Methods[method].Tn), s.Groups.Sum(g => g.Methods[method].Fn)));
            Assert.Equal(whole.Cost, s.Groups.Sum(g => g.Methods[method].Cost), 9);
        }

        Assert.Equal(s.Labelled, s.Reliability.Sum(b => b.Count));
    }

    [Fact]
    public void From_OneClass_Throws()
    {
        var records = DecisionRecordReader.ReadValid(SharedData.Path("data/llm-confidence/gpt-4o/sat.jsonl")).Where(r => r.Correct == true).ToList();
        var e = Assert.Throws<ArgumentException>(() => EvaluationSummary.From(Evaluator.Score(TrainedModels.GptSatDefault, records), 10, 1));
        Assert.StartsWith("all 192 labelled answers are correct", e.Message, StringComparison.Ordinal);
    }
}
