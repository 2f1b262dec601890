namespace Lpp.Tests;

public sealed class EvaluatorTests
{
    [Fact]
    public void Measure_CountsAndF1_MatchAHandCalculation()
    {
        // Given 6 labelled records and one without truth: trusted right x2, trusted wrong x1, escalated wrong x2, escalated right x1
        var rows = new List<EvaluatedRecord>
        {
            Row(true, 0.9, trust: true), Row(true, 0.8, trust: true), Row(false, 0.7, trust: true),
            Row(false, 0.2, trust: false), Row(false, 0.1, trust: false), Row(true, 0.3, trust: false),
            Row(null, 0.5, trust: true),
        };

        // When the method is measured
        var m = Evaluator.Measure(rows, Method.MetaModel, CostModel.Default, 0.5);

        // Then (hand calculation) TP=2 FP=1 TN=2 FN=1; F1(error) = 2*2/(2*2+1+1) = 2/3; F1(correct) = 4/6;
        // cost = 1*1 + (0.64-1)*2 + 0.64*1 = 0.92; AUC = 8/9 (of the 9 right/wrong pairs, 8 are ordered right: 0.3 < 0.7 is not)
        Assert.Equal((2, 1, 2, 1), (m.Tp, m.Fp, m.Tn, m.Fn));
        Assert.Equal(2.0 / 3, m.F1Error, 12);
        Assert.Equal(2.0 / 3, m.MacroF1, 12);
        Assert.Equal(0.92, m.Cost, 12);
        Assert.Equal(8.0 / 9, m.Auc, 12);
        Assert.Equal(3, m.Escalations);
        Assert.Equal(0.5, m.EscalationRatio, 12);

        // and 1 of the 3 trusted items is wrong; its exact 95% interval has closed forms for 1 event in 3 trials:
        // lower 1 - 0.975^(1/3) (P(no event) = 0.975), upper h with P(at most 1 event | h) = 0.025, i.e. the
        // Beta(2, 2) CDF 3h^2 - 2h^3 = 0.975; 1e-9
        Assert.Equal(3, m.Trusted);
        Assert.Equal(1.0 / 3, m.TrustedErrorRate, 12);
        Assert.Equal(1 - Math.Pow(0.975, 1.0 / 3), m.TrustedErrorInterval.Low, 9);
        var h = m.TrustedErrorInterval.High;
        Assert.Equal(0.975, (3 * h * h) - (2 * h * h * h), 9);
    }

    [Fact]
    public void TrustedErrorRate_NothingTrusted_IsUndefinedNotZero()
    {
        var m = new MethodMetrics { Tn = 3, Fn = 2 };
        Assert.True(double.IsNaN(m.TrustedErrorRate));
        Assert.True(double.IsNaN(m.TrustedErrorInterval.Low));
    }

    [Fact]
    public void Score_RealTestRecords_AlwaysTrustCostsTheErrors()
    {
        // Given the paper model and real records, when every method is measured
        var records = DecisionRecordReader.ReadValid(SharedData.Path("data/llm-confidence/gpt-4o/boolq.jsonl")).Take(500).ToList();
        var measured = Evaluator.Score(TrainedModels.GptBoolqPaper, records).Measure();

        // Then always-trust costs exactly the number of errors (paper form: c_error * FP with everything trusted)
        var errors = records.Count(r => r.Correct == false);
        Assert.Equal(errors, measured[Method.AlwaysTrust].Cost, 9);
        Assert.Equal(Evaluator.Methods.Select(m => m.Name).Order(StringComparer.Ordinal), measured.Keys.Select(m => m.Name).Order(StringComparer.Ordinal));
        Assert.All(measured.Values, m => Assert.Equal(500, m.Tp + m.Fp + m.Tn + m.Fn));
    }

    private static EvaluatedRecord Row(bool? correct, double score, bool trust) =>
        new("id", SourceAttributes.Empty, correct, new Dictionary<Method, double> { [Method.MetaModel] = score }, new Dictionary<Method, bool> { [Method.MetaModel] = trust });
}
