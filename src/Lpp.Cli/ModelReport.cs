using System.Globalization;
using System.Text;

namespace Lpp.Cli;

/// <summary>Plain-text descriptions of a model, shared by <c>lpp train</c> and <c>lpp explain</c>.</summary>
internal static class ModelReport
{
    /// <summary>What training chose and what it buys on the threshold data.</summary>
    public static string Summary(EscalationModel model, int largest = 8)
    {
        var p = model.Provenance;
        var sb = new StringBuilder();
        sb.AppendLine(Inv($"recipe         {model.Recipe.Name()} ({p.Records} labelled records, {p.Errors} LLM errors{(p.WithoutTruth > 0 ? $", {p.WithoutTruth} without truth left out" : string.Empty)})"));
        sb.AppendLine(Inv($"configuration  {p.Configuration}"));
        var direction = p.CvMetric == "log_loss" ? "lower is better" : "higher is better";
        sb.AppendLine(Inv($"cv score       {p.CvMetric} {p.CvScore:F4} ({direction}; {p.ConfigurationsEvaluated} configurations evaluated, {p.DistinctConfigurations} distinct fits{(p.ConfigurationsEvaluated > p.DistinctConfigurations ? ": solver, tol and max_iter cannot change a closed-form ridge, so their copies share one fit" : string.Empty)})"));
        sb.AppendLine(Inv($"tau            {model.Tau:F4} (trust iff P(correct) >= tau; cost model {model.Cost.FormName}, c_error {model.Cost.CError:G}, c_review {model.Cost.CReview:G})"));
        if (model.SeverityCosts is { } severity)
        {
            sb.AppendLine(Inv($"costs by {severity.By ?? "nothing (default only)"}: each item at the threshold of its own costs"));
            foreach (var line in severity.Describe(model))
            {
                sb.AppendLine("  " + line);
            }
        }

        sb.AppendLine(Inv($"cost on {p.ThresholdData}:"));
        var always = p.ValidationCosts.GetValueOrDefault(Method.AlwaysTrust.Name);
        foreach (var (name, cost) in p.ValidationCosts.OrderBy(c => c.Value))
        {
            var change = always == 0 ? string.Empty : Inv($"  ({(cost - always) / Math.Abs(always):+0.0%;-0.0%;0.0%} vs {Method.AlwaysTrust})");
            sb.AppendLine(Inv($"  {name,-14} {cost,10:F2}{change}"));
        }

        sb.AppendLine("largest coefficients (standardised features, mean over fold models):");
        foreach (var (name, coefficient) in Coefficients(model).OrderByDescending(c => Math.Abs(c.Coefficient)).Take(largest))
        {
            sb.AppendLine(Inv($"  {name,-28} {coefficient,9:+0.0000;-0.0000}"));
        }

        return sb.ToString();
    }

    /// <summary>Coefficients by feature and family, and each family's share of the total |coefficient|.</summary>
    public static string Explain(EscalationModel model)
    {
        var sb = new StringBuilder();
        sb.AppendLine(Inv($"model: recipe {model.Recipe.Name()}, {model.FeatureNames.Length} features, {model.Ensemble.Members.Length} fold models, tau {model.Tau:F4}"));
        sb.AppendLine(Inv($"configuration: {model.Provenance.Configuration}"));
        sb.AppendLine();
        sb.AppendLine("coefficients by family (ridge on standardised features, mean over fold models; + pushes towards trust):");
        var coefficients = Coefficients(model).ToList();
        var total = coefficients.Sum(c => Math.Abs(c.Coefficient));
        foreach (var family in coefficients.GroupBy(c => Family(c.Name)))
        {
            var share = total == 0 ? 0 : family.Sum(c => Math.Abs(c.Coefficient)) / total;
            sb.AppendLine(Inv($"{FamilyTitle(family.Key)}  share {Percent(share)}"));
            foreach (var (name, coefficient) in family)
            {
                sb.AppendLine(Inv($"  {name,-28} {coefficient,9:+0.0000;-0.0000}"));
            }
        }

        sb.AppendLine();
        sb.AppendLine("share of the score by family (sum of |coefficient| in the family / sum over all features):");
        foreach (var family in coefficients.GroupBy(c => Family(c.Name)).OrderByDescending(g => g.Sum(c => Math.Abs(c.Coefficient))))
        {
            var share = total == 0 ? 0 : family.Sum(c => Math.Abs(c.Coefficient)) / total;
            sb.AppendLine(Inv($"  {FamilyTitle(family.Key),-34} {Percent(share),7}  {new string('#', (int)Math.Round(share * 40))}").TrimEnd());
        }

        sb.AppendLine();
        sb.Append(TrainedFor(model));
        return sb.ToString();
    }

    /// <summary>What records the model accepts (route, serve, evaluate and explain --input check each record against it).</summary>
    internal static string TrainedFor(EscalationModel model)
    {
        var sb = new StringBuilder();
        var shape = model.ExpectedShape;
        var relied = shape.Required.Count == 0 ? "none" : string.Join(", ", shape.Required.Order().Select(TrainingShape.FieldOf));
        if (model.TrainingShape is null)
        {
            sb.AppendLine("trained for: not recorded (a model file from an older lpp); a record with an answer must carry every signal the model reads:");
            sb.AppendLine(Inv($"  signals relied on  {relied}"));
            return sb.ToString();
        }

        sb.AppendLine(Inv($"trained for ({shape.Records} training records with a decision answer; other records are refused unless --allow-shape-mismatch):"));
        foreach (var schema in shape.LabelSets)
        {
            var abstain = schema.AbstainLabels.Count == 0 ? string.Empty : "; abstain " + string.Join(", ", schema.AbstainLabels.Select(p => $"{p.Key} ({(p.Value == Attribution.Evidence ? "evidence" : "definition")})"));
            sb.AppendLine(Inv($"  labels             {string.Join(", ", schema.Labels)}{abstain}"));
        }

        sb.AppendLine(Inv($"  signals relied on  {relied}"));
        sb.AppendLine(Inv($"  signals present    {string.Join(", ", shape.SignalRecords.Select(p => $"{TrainingShape.Key(p.Key)} {p.Value}/{shape.Records}"))}"));
        foreach (var (key, values) in shape.Sources)
        {
            sb.AppendLine(Inv($"  source.{key,-12} {string.Join(", ", values.Take(10))}{(values.Count > 10 ? $", ... ({values.Count} values)" : string.Empty)}"));
        }

        return sb.ToString();
    }

    /// <summary>Mean coefficient per feature the model reads, in schema order.</summary>
    internal static IEnumerable<(string Name, double Coefficient)> Coefficients(EscalationModel model)
    {
        var mean = model.MeanCoefficients.ToArray();
        return model.FeatureNames.Select((name, j) => (name, mean[j]));
    }

    internal static FeatureFamily Family(string feature) => FeatureSchema.All[FeatureSchema.IndexOf(feature)].Family;

    internal static string FamilyTitle(FeatureFamily family) => family switch
    {
        FeatureFamily.A => "A top-k distribution",
        FeatureFamily.B => "B label distribution",
        FeatureFamily.C => "C log-odds margins",
        FeatureFamily.D => "D reasoning likelihood",
        FeatureFamily.E => "E reasoning token uncertainty",
        FeatureFamily.F => "F verbalized confidence",
        FeatureFamily.G => "G abstention attribution",
        _ => "availability indicators",
    };

    private static string Percent(double share) => (share * 100).ToString("0.0", CultureInfo.InvariantCulture) + "%";

    private static string Inv(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
