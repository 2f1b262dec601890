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
        var direction = p.CvMetric is "log_loss" or "expected_cost" ? "lower is better" : "higher is better";
        sb.AppendLine(Inv($"cv score       {p.CvMetric} {p.CvScore:F4} ({direction}; {p.ConfigurationsEvaluated} configurations evaluated, {p.DistinctConfigurations} distinct fits{(p.ConfigurationsEvaluated > p.DistinctConfigurations ? ": solver, tol and max_iter cannot change a closed-form ridge, so their copies share one fit" : string.Empty)})"));
        sb.AppendLine(Inv($"tau            {Reports.ReportText.Threshold(model.Tau)} (the learned model trusts iff P(correct) >= tau; cost model {model.Cost.FormName}, c_error {model.Cost.CError:G}, c_review {model.Cost.CReview:G})"));
        sb.AppendLine($"deployed       {Deployed(model)}");
        if (model.Guarantee is { } guarantee)
        {
            sb.AppendLine($"guarantee      {Guarantee(guarantee)}");
        }

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
            sb.AppendLine(Inv($"  {name,-20} {cost,10:F2}{change}"));
        }

        sb.AppendLine(model.Policy.IsLearned
            ? "largest coefficients (standardised features, mean over fold models):"
            : "largest coefficients of the learned model, which is not deployed (standardised features):");
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
        var learned = model.Ensemble is { } ensemble ? Inv($"{ensemble.Members.Length} fold models") : "logistic regression";
        sb.AppendLine(Inv($"model: recipe {model.Recipe.Name()}, {model.FeatureNames.Length} features, {learned}, tau {model.Tau:F4}"));
        sb.AppendLine(Inv($"configuration: {model.Provenance.Configuration}"));
        sb.AppendLine($"deployed: {Deployed(model)}");
        if (model.Guarantee is { } guarantee)
        {
            sb.AppendLine($"guarantee: {Guarantee(guarantee)}");
        }

        sb.AppendLine();
        sb.AppendLine(Inv($"coefficients by family ({(model.Ensemble is null ? "logistic regression" : "ridge")} on standardised features{(model.Ensemble is null ? string.Empty : ", mean over fold models")}; + pushes towards trust{(model.Policy.IsLearned ? string.Empty : "; the learned model is not deployed")}):"));
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
        sb.Append(Groups(model, coefficients.ToDictionary(c => c.Name, c => c.Coefficient, StringComparer.Ordinal)));
        sb.AppendLine();
        sb.Append(TrainedFor(model));
        return sb.ToString();
    }

    /// <summary>
    /// The groups of collinear features that decisions report as one contribution, each with its net coefficient; or
    /// why contributions are per feature.
    /// </summary>
    internal static string Groups(EscalationModel model, IReadOnlyDictionary<string, double> coefficients)
    {
        var sb = new StringBuilder();
        if (model.ContributionGroups is not { } groups)
        {
            sb.AppendLine("contributions: per feature (this model file has no contribution_groups: it was written before lpp stored them; retrain to report collinear features as one group)");
            return sb.ToString();
        }

        if (groups.Groups.IsEmpty)
        {
            sb.AppendLine(Inv($"contributions: per feature (no two features the model reads had |correlation| >= {groups.DuplicateCorrelation:G} on its training data)"));
            return sb.ToString();
        }

        sb.AppendLine(Inv($"contributions by group of collinear features (|correlation| >= {groups.DuplicateCorrelation:G} on the median-imputed training features, linked in a chain):"));
        sb.AppendLine("route and serve report each group as one contribution, its members' linear terms summed, and other features on their own;");
        sb.AppendLine("net coefficient = the members' coefficients, each signed + when it rises with the group's lead and - when it falls (+ pushes towards trust):");
        foreach (var g in groups.Groups)
        {
            sb.AppendLine(Inv($"  {g.Name,-36} net coefficient {NetCoefficient(g.Members, g.Signs, coefficients),9:+0.0000;-0.0000}  = {SignedMembers(g.Members, g.Signs)}"));
        }

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
            sb.AppendLine(Inv($"  source.{key,-11} {string.Join(", ", values.Take(10))}{(values.Count > 10 ? $", ... ({values.Count} values)" : string.Empty)}"));
        }

        return sb.ToString();
    }

    /// <summary>What the model deploys and why, in one line.</summary>
    internal static string Deployed(EscalationModel model) => ModelDescription.Deployed(model);

    /// <summary>The stated guarantee in one line.</summary>
    internal static string Guarantee(TrustGuarantee g) => ModelDescription.Guarantee(g);

    /// <summary>
    /// The feature analysis in plain text: groups of near-duplicate features with their net coefficient (the sum of
    /// the members' coefficients, each signed by whether it rises or falls with the group's lead: the effect of the
    /// one signal they share), then each feature's correlation with correctness, its p-value and its VIF.
    /// </summary>
    public static string Analysis(EscalationModel model, FeatureAnalysis analysis, string source)
    {
        var sb = new StringBuilder();
        var coefficients = Coefficients(model).ToDictionary(c => c.Name, c => c.Coefficient, StringComparer.Ordinal);
        sb.AppendLine(Inv($"feature analysis on {analysis.Records} labelled records of {source} (the {analysis.Features.Count} features the model reads that these records have):"));
        sb.AppendLine(Inv($"groups of near-duplicate features (|correlation| >= {FeatureAnalysis.DuplicateCorrelation:G} on the median-imputed features), strongest signal first;"));
        sb.AppendLine("net coefficient = sum of the members' coefficients, each signed + when it rises with the lead and - when it falls (+ pushes towards trust):");
        var total = analysis.Groups.Sum(g => Math.Abs(NetCoefficient(g.Members, g.Signs, coefficients)));
        foreach (var g in analysis.Groups)
        {
            var net = NetCoefficient(g.Members, g.Signs, coefficients);
            var lead = analysis.Features.First(f => f.Name == g.Lead);
            var members = g.Members.Count == 1 ? string.Empty : "  = " + SignedMembers(g.Members, g.Signs);
            sb.AppendLine(Inv($"  {g.Lead,-28} net coefficient {net,9:+0.0000;-0.0000}  share {Percent(total == 0 ? 0 : Math.Abs(net) / total),6}  r(correct) {Signed(lead.Correlation, "+0.000;-0.000")}{members}"));
        }

        sb.AppendLine();
        sb.AppendLine("per feature: correlation with correctness (1 = the LLM was right) on the records where it is present, two-sided p-value, variance inflation factor (1 = independent of the others; above 10 = mostly said by them):");
        sb.AppendLine(Inv($"  {"feature",-28} {"family",-7} {"present",7} {"r",7} {"p-value",9} {"VIF",9}  group"));
        foreach (var f in analysis.Features)
        {
            sb.AppendLine(Inv($"  {f.Name,-28} {f.Family,-7} {f.Present,7} {Signed(f.Correlation, "+0.000;-0.000"),7} {PValue(f.PValue),9} {Vif(f.Vif),9}  {analysis.Groups[f.Group].Lead}"));
        }

        return sb.ToString();
    }

    /// <summary>The analysis group's net coefficient: Σ sign × coefficient over its members the model reads.</summary>
    internal static double NetCoefficient(FeatureGroup group, IReadOnlyDictionary<string, double> coefficients) =>
        NetCoefficient(group.Members, group.Signs, coefficients);

    /// <summary>A group's net coefficient: Σ sign × coefficient over its members the model reads.</summary>
    internal static double NetCoefficient(IReadOnlyList<string> members, IReadOnlyList<int> signs, IReadOnlyDictionary<string, double> coefficients) =>
        members.Select((m, i) => signs[i] * coefficients.GetValueOrDefault(m)).Sum();

    /// <summary>A group's members with their signs relative to the lead: <c>lead + a - b</c>.</summary>
    private static string SignedMembers(IReadOnlyList<string> members, IReadOnlyList<int> signs) =>
        string.Join(" ", members.Select((m, i) => (i == 0 ? string.Empty : signs[i] > 0 ? "+ " : "- ") + m));

    internal static string PValue(double p) => double.IsNaN(p) ? "—" : p < 1e-4 ? "<0.0001" : p.ToString("0.0000", CultureInfo.InvariantCulture);

    internal static string Vif(double vif) => double.IsNaN(vif) ? "—" : vif > 1e6 ? "> 10^6" : vif.ToString(vif >= 100 ? "0" : "0.0", CultureInfo.InvariantCulture);

    private static string Signed(double value, string format) => double.IsNaN(value) ? "—" : value.ToString(format, CultureInfo.InvariantCulture);

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
