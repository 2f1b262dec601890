using System.Collections.Immutable;

namespace Lpp;

/// <summary>
/// What monitoring compares production against, stored by <c>lpp train</c> in the model file: per feature the model
/// reads, its training distribution as quantile bins with the missing share; the distribution of the deployed model's
/// score on the training records; and, from out-of-fold predictions (scores of records the scoring model was not
/// fitted on), the share escalated and the error rate among the items trusted.
/// </summary>
/// <param name="Records">Training records profiled.</param>
/// <param name="Features">One profile per feature the model reads, in the model's order.</param>
/// <param name="Score">The deployed model's score on the training records.</param>
/// <param name="EscalationRatio">Out-of-fold share of items the deployed policy escalates (abstentions and invalid outputs included).</param>
/// <param name="TrustedErrorRate">Out-of-fold share of wrong answers among the items the deployed policy trusts; NaN when it trusts none.</param>
public sealed record TrainingProfile(
    int Records,
    ImmutableArray<BinnedProfile> Features,
    BinnedProfile Score,
    double EscalationRatio,
    double TrustedErrorRate)
{
    /// <summary>
    /// Profiles the training data of <paramref name="model"/>: features and score from
    /// <paramref name="features"/> (every <see cref="FeatureSchema"/> column, NaN = missing) through the model's public
    /// <see cref="EscalationModel.Score"/>; the escalation ratio and the trusted error rate from
    /// <paramref name="routedOutOfFold"/> (out-of-fold scores as the router acts on them: NaN for an item escalated
    /// whatever its score) as the model's deployed policy decides (<see cref="EscalationModel.Policy"/>: the learned
    /// score at τ, always trust, escalate everything, or one signal at its threshold, read from row i of
    /// <paramref name="features"/>), against <paramref name="correct"/>.
    /// </summary>
    /// <exception cref="ArgumentException">No rows, or lengths that differ (a signal policy needs one out-of-fold score per feature row).</exception>
    public static TrainingProfile Compute(EscalationModel model, FeatureMatrix features, ReadOnlySpan<double> routedOutOfFold, ReadOnlySpan<bool> correct) =>
        Compute(model, features, routedOutOfFold, correct, []);

    /// <summary>
    /// As <see cref="Compute(EscalationModel, FeatureMatrix, ReadOnlySpan{double}, ReadOnlySpan{bool})"/>, each record
    /// counted with its weight (one per feature row and out-of-fold score; empty: every record weighs 1): the bins'
    /// shares, the missing shares, the escalation ratio and the trusted error rate describe the population the weighted
    /// records stand for. The bins' edges stay quantiles of the records themselves.
    /// </summary>
    /// <exception cref="ArgumentException">No rows, or lengths that differ.</exception>
    public static TrainingProfile Compute(EscalationModel model, FeatureMatrix features, ReadOnlySpan<double> routedOutOfFold, ReadOnlySpan<bool> correct, ReadOnlySpan<double> weights)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(features);
        Guard.SameLength(routedOutOfFold.Length, correct.Length, nameof(correct), "one per out-of-fold score");
        if (features.Rows == 0)
        {
            throw new ArgumentException("no training records to profile", nameof(features));
        }

        var row = new double[features.Columns];
        var scores = new double[features.Rows];
        var columns = new double[model.FeatureNames.Length][];
        var indexes = model.FeatureNames.Select(FeatureSchema.IndexOf).ToArray();
        for (var j = 0; j < columns.Length; j++)
        {
            columns[j] = new double[features.Rows];
        }

        for (var r = 0; r < features.Rows; r++)
        {
            for (var c = 0; c < row.Length; c++)
            {
                row[c] = features[r, c];
            }

            scores[r] = model.Score(row);
            for (var j = 0; j < indexes.Length; j++)
            {
                columns[j][r] = row[indexes[j]];
            }
        }

        var w = weights.ToArray();
        var policy = model.Policy;
        if (policy.Kind == PolicyKind.Signal)
        {
            Guard.SameLength(routedOutOfFold.Length, features.Rows, nameof(routedOutOfFold), "one per feature row under a signal policy");
        }

        if (!weights.IsEmpty)
        {
            Guard.SameLength(features.Rows, weights.Length, nameof(weights), "one per feature row");
            Guard.SameLength(routedOutOfFold.Length, weights.Length, nameof(weights), "one per out-of-fold score");
        }

        var trusted = 0.0;
        var trustedWrong = 0.0;
        for (var i = 0; i < routedOutOfFold.Length; i++)
        {
            // NaN: escalated by rule (abstention, unparseable answer) whatever the policy.
            var trusts = !double.IsNaN(routedOutOfFold[i]) && policy.Kind switch
            {
                PolicyKind.Learned => routedOutOfFold[i] >= model.Tau,
                PolicyKind.AlwaysTrust => true,
                PolicyKind.EscalateEverything => false,
                _ => policy.Signal!.Trusts(Row(features, i, row)),
            };
            if (trusts)
            {
                var weight = SampleWeights.At(weights, i);
                trusted += weight;
                trustedWrong += correct[i] ? 0 : weight;
            }
        }

        var n = 0.0;
        for (var i = 0; i < routedOutOfFold.Length; i++)
        {
            n += SampleWeights.At(weights, i);
        }

        static double[] Row(FeatureMatrix x, int r, double[] buffer)
        {
            for (var c = 0; c < buffer.Length; c++)
            {
                buffer[c] = x[r, c];
            }

            return buffer;
        }

        return new TrainingProfile(
            features.Rows,
            [.. model.FeatureNames.Select((name, j) => BinnedProfile.Fit(name, columns[j], w))],
            BinnedProfile.Fit("score", scores, w),
            n == 0 ? double.NaN : (n - trusted) / n,
            trusted == 0 ? double.NaN : trustedWrong / trusted);
    }
}
