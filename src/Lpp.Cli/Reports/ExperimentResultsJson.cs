using System.Text.Json;

namespace Lpp.Cli.Reports;

/// <summary>
/// results.json of <c>lpp experiment</c>: every number of report.md, machine-readable, so a team can track a number
/// across releases. Spreads are <c>{"mean", "sd", "min", "max", "n"}</c> over the splits where the method ran;
/// undefined numbers are null.
/// </summary>
internal static class ExperimentResultsJson
{
    /// <summary>The format's version, bumped when a field changes meaning or is removed.</summary>
    public const int Version = 1;

    public static void Write(ExperimentResult r, Stream stream)
    {
        ArgumentNullException.ThrowIfNull(r);
        var o = r.Options;
        using var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        w.WriteStartObject();
        w.WriteNumber("version", Version);
        w.WriteString("recipe", o.Recipe.Name());
        w.WriteStartArray("compare_recipes");
        foreach (var recipe in o.CompareRecipes)
        {
            w.WriteStringValue(recipe.Name());
        }

        w.WriteEndArray();
        w.WriteStartObject("cost_model");
        w.WriteString("form", o.Cost.FormName);
        w.WriteNumber("c_error", o.Cost.CError);
        w.WriteNumber("c_review", o.Cost.CReview);
        w.WriteEndObject();
        w.WriteStartObject("protocol");
        w.WriteNumber("repeats", o.Repeats);
        w.WriteNumber("seed", o.Seed);
        if (o.TestErrors is { } n)
        {
            w.WriteNull("test_fraction");
            w.WriteNumber("test_errors", n);
        }
        else
        {
            w.WriteNumber("test_fraction", o.TestFraction);
            w.WriteNull("test_errors");
        }

        w.WriteNumber("bootstrap", o.Bootstrap);
        w.WriteBoolean("ablations", o.Ablations);
        w.WriteEndObject();
        w.WriteString("verdict", r.Verdict());
        Guarantee(w, r);
        w.WriteStartArray("datasets");
        foreach (var d in r.Datasets)
        {
            Dataset(w, r, d);
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void Dataset(Utf8JsonWriter w, ExperimentResult r, ExperimentDatasetResult d)
    {
        w.WriteStartObject();
        w.WriteString("name", d.Name);
        w.WriteString("model", d.Model);
        w.WriteString("task", d.Task);
        w.WriteNumber("records", d.Records);
        w.WriteNumber("errors", d.Errors);
        w.WriteNumber("without_truth", d.WithoutTruth);
        Spread(w, "test_errors", d.TestErrors);
        if (d.BestBaseline is { } best)
        {
            w.WriteString("best_signal", best.Name);
        }
        else
        {
            w.WriteNull("best_signal");
        }

        w.WriteString("outcome", Outcome(r.Outcome(d)));
        Spread(w, "meta_model_minus_best_signal", d.CostDifferenceToBestBaseline);
        w.WriteStartObject("methods");
        foreach (var m in d.Methods)
        {
            w.WriteStartObject(m.Name);
            w.WriteNumber("splits", d.Runs(m));
            Spread(w, "cost", d.Cost(m));
            Spread(w, "auc", d.Auc(m));
            Spread(w, "f1_error", d.F1Error(m));
            Spread(w, "escalation_ratio", d.EscalationRatio(m));
            Spread(w, "tau", d.Tau(m));
            Spread(w, "trusted_error_rate", d.TrustedErrorRate(m));
            w.WriteEndObject();
        }

        w.WriteEndObject();
        w.WriteStartObject("skipped");
        foreach (var m in d.SkippedMethods)
        {
            w.WriteStartArray(m.Name);
            foreach (var (reason, splits) in d.Skips(m))
            {
                w.WriteStartObject();
                w.WriteString("reason", reason);
                w.WriteNumber("splits", splits);
                w.WriteEndObject();
            }

            w.WriteEndArray();
        }

        w.WriteEndObject();
        if (r.Options.Ablations)
        {
            w.WriteStartObject("ablations");
            foreach (var family in Ablation.Families)
            {
                var a = d.Ablation(family);
                w.WriteStartObject(family.ToString());
                w.WriteBoolean("in_model", a.InModel);
                Spread(w, "cost_change", a.CostChange);
                Spread(w, "auc_change", a.AucChange);
                w.WriteEndObject();
            }

            w.WriteEndObject();
        }
        else
        {
            w.WriteNull("ablations");
        }

        w.WriteStartArray("cost_ratios");
        foreach (var ratio in r.Options.CostRatios)
        {
            var c = d.CostRatio(ratio);
            w.WriteStartObject();
            w.WriteNumber("ratio", ratio);
            Spread(w, "always_trust", c.AlwaysTrust);
            Spread(w, "at_chosen_tau", c.AtChosen);
            Number(w, "reoptimised_tau", (r.Options.Cost with { CReview = ratio * r.Options.Cost.CError }).CalibratedOptimalThreshold);
            Spread(w, "at_reoptimised_tau", c.AtReoptimised);
            Spread(w, "at_hindsight_tau", c.AtHindsight);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        if (d.FirstAnalysis is { } analysis)
        {
            w.WriteStartObject("feature_analysis");
            w.WriteNumber("records", analysis.Records);
            w.WriteNumber("duplicate_correlation", FeatureAnalysis.DuplicateCorrelation);
            w.WriteStartArray("features");
            foreach (var f in analysis.Features)
            {
                w.WriteStartObject();
                w.WriteString("name", f.Name);
                w.WriteString("family", f.Family.ToString());
                w.WriteNumber("present", f.Present);
                Number(w, "correlation", f.Correlation);
                Number(w, "p_value", f.PValue);
                Number(w, "vif", f.Vif);
                w.WriteString("group", analysis.Groups[f.Group].Lead);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteStartArray("groups");
            var coefficients = d.FirstModel is { } model ? ModelReport.Coefficients(model).ToDictionary(c => c.Name, c => c.Coefficient, StringComparer.Ordinal) : [];
            foreach (var g in analysis.Groups)
            {
                w.WriteStartObject();
                w.WriteString("lead", g.Lead);
                w.WriteStartArray("members");
                for (var i = 0; i < g.Members.Count; i++)
                {
                    w.WriteStartObject();
                    w.WriteString("name", g.Members[i]);
                    w.WriteNumber("sign", g.Signs[i]);
                    w.WriteEndObject();
                }

                w.WriteEndArray();
                Number(w, "net_coefficient", ModelReport.NetCoefficient(g, coefficients));
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }
        else
        {
            w.WriteNull("feature_analysis");
        }

        if (d.FirstEvaluation is { } e)
        {
            w.WriteStartObject("first_split");
            w.WriteNumber("seed", d.Splits[0].Seed);
            w.WriteNumber("test_records", e.Labelled);
            w.WriteNumber("test_errors", e.Errors);
            w.WritePropertyName("methods");
            EvaluationReport.WriteMethods(w, e.Methods, e.Intervals);
            w.WriteEndObject();
        }
        else
        {
            w.WriteNull("first_split");
        }

        w.WriteEndObject();
    }

    private static string Outcome(DatasetOutcome outcome) => outcome switch
    {
        DatasetOutcome.Helps => "helps",
        DatasetOutcome.Hurts => "hurts",
        DatasetOutcome.Unclear => "unclear",
        _ => "not_measured",
    };

    /// <summary>
    /// <c>guarantee</c>: null unless the experiment trained with <c>--max-trusted-error</c>; then the confidence, the
    /// calibration fraction and, per level and dataset, the realised error rate among trusted test items, the
    /// escalation ratio and the cost over the splits, with the same numbers of the cost-optimal model beside them.
    /// </summary>
    private static void Guarantee(Utf8JsonWriter w, ExperimentResult r)
    {
        var o = r.Options;
        if (o.MaxTrustedErrors.Count == 0)
        {
            w.WriteNull("guarantee");
            return;
        }

        w.WriteStartObject("guarantee");
        w.WriteNumber("confidence", o.Confidence);
        w.WriteNumber("calibration_fraction", new EscalationTrainerOptions().CalibrationFraction);
        w.WriteStartArray("levels");
        foreach (var level in o.MaxTrustedErrors)
        {
            w.WriteStartObject();
            w.WriteNumber("max_trusted_error", level);
            w.WriteStartObject("datasets");
            foreach (var d in r.Datasets)
            {
                var g = d.Guarantee(level);
                w.WriteStartObject(d.Name);
                w.WriteNumber("splits", g.Splits);
                w.WriteNumber("feasible_splits", g.Feasible);
                w.WriteNumber("splits_above_level", g.Above);
                Spread(w, "trusted_error_rate", g.TrustedError);
                Spread(w, "escalation_ratio", g.EscalationRatio);
                Spread(w, "cost", g.Cost);
                w.WriteStartObject("cost_optimal");
                Spread(w, "trusted_error_rate", d.TrustedErrorRate(Method.MetaModel));
                Spread(w, "escalation_ratio", d.EscalationRatio(Method.MetaModel));
                Spread(w, "cost", d.Cost(Method.MetaModel));
                w.WriteEndObject();
                w.WriteEndObject();
            }

            w.WriteEndObject();
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void Spread(Utf8JsonWriter w, string name, Spread s)
    {
        w.WriteStartObject(name);
        Number(w, "mean", s.Mean);
        Number(w, "sd", s.Sd);
        Number(w, "min", s.Min);
        Number(w, "max", s.Max);
        w.WriteNumber("n", s.Count);
        w.WriteEndObject();
    }

    private static void Number(Utf8JsonWriter w, string name, double value)
    {
        if (double.IsFinite(value))
        {
            w.WriteNumber(name, value);
        }
        else
        {
            w.WriteNull(name);
        }
    }
}
