using System.Globalization;

namespace Lpp;

/// <summary>One-line descriptions of what a model deploys, shared by the command line and the service's model card.</summary>
public static class ModelDescription
{
    /// <summary>What the model deploys and why, in one line.</summary>
    public static string Deployed(EscalationModel model)
    {
        var policy = model.Policy;
        var what = policy.Kind switch
        {
            PolicyKind.Learned => Inv($"the learned model at tau {model.Tau:F4}"),
            PolicyKind.Signal => Inv($"simple policy: {policy.Signal!.Name} ({policy.Signal.Feature}) at its threshold {policy.Signal.Tau:G6}"),
            _ => $"simple policy: {policy.Kind.Name()}",
        };
        if (policy.Draws == 0)
        {
            return what;
        }

        var comparison = Inv($"the cheapest learned candidate ({policy.Learned}, out-of-fold cost {policy.LearnedCost:F2}) was cheaper than the simple policy {policy.Simple} ({policy.SimpleCost:F2}) in {policy.ProbabilityLearnedCheaper:0.0%} of {policy.Draws} paired bootstrap draws");
        return policy.IsLearned
            ? Inv($"{what}: {comparison}, at least the {policy.RequiredProbability:0%} required")
            : Inv($"{what}, not the learned model: {comparison}, below the {policy.RequiredProbability:0%} required");
    }

    /// <summary>The stated guarantee in one line.</summary>
    public static string Guarantee(TrustGuarantee g)
    {
        var head = Inv($"error rate among trusted items <= {g.MaxTrustedError:G} with {g.Confidence:0.##%} confidence (Clopper-Pearson, Learn-then-Test on {g.CalibrationRecords} held-out calibration records, {g.CalibrationErrors} errors; thresholds on the {g.Scale})");
        return g.Feasible
            ? Inv($"{head}: guaranteed threshold {g.GuaranteedThreshold:G6}, cost-optimal {g.CostOptimalThreshold:G6}, deployed {g.DeployedThreshold:G6}; there {g.Trusted} trusted, {g.TrustedErrors} wrong, upper bound {g.UpperBound:0.0000}")
            : Inv($"{head}: no threshold qualifies (cost-optimal {g.CostOptimalThreshold:G6}, upper bound there {g.UpperBound:0.0000})");
    }

    private static string Inv(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
