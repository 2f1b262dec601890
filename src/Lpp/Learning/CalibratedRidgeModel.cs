using System.Collections.Immutable;

namespace Lpp;

/// <summary>
/// A cross-validated calibrated ridge ensemble, as scikit-learn's <c>CalibratedClassifierCV(RidgeClassifier(), cv=k,
/// ensemble=True)</c>: P(class 1 | x) = (1/k) Σ_i calibrator_i(ridge_i(x)). Higher means the LLM's answer is more
/// likely right. Immutable and thread-safe.
/// </summary>
public sealed class CalibratedRidgeModel
{
    /// <summary>Creates a model from its fold members (as fitted by <see cref="CalibratedRidgeTrainer"/> or read back from a file).</summary>
    /// <exception cref="ArgumentException">No members, or members whose ridge models have different feature counts.</exception>
    public CalibratedRidgeModel(ImmutableArray<CalibratedRidgeMember> members)
    {
        if (members.IsDefaultOrEmpty)
        {
            throw new ArgumentException("a calibrated ensemble needs at least one member", nameof(members));
        }

        Features = members[0].Ridge.Coefficients.Length;
        for (var i = 0; i < members.Length; i++)
        {
            ArgumentNullException.ThrowIfNull(members[i], nameof(members));
            if (members[i].Ridge.Coefficients.Length != Features)
            {
                throw new ArgumentException($"member {i} has {members[i].Ridge.Coefficients.Length} coefficients, member 0 has {Features}", nameof(members));
            }
        }

        Members = members;
    }

    /// <summary>One member per calibration fold.</summary>
    public ImmutableArray<CalibratedRidgeMember> Members { get; }

    /// <summary>Number of feature columns the model expects.</summary>
    public int Features { get; }

    /// <summary>P(class 1 | <paramref name="features"/>): the mean of the members' calibrated probabilities.</summary>
    /// <exception cref="ArgumentException">The row length differs from <see cref="Features"/>.</exception>
    public double Probability(ReadOnlySpan<double> features)
    {
        var sum = 0.0;
        foreach (var member in Members)
        {
            sum += member.Probability(features);
        }

        return sum / Members.Length;
    }

    /// <summary>P(class 1) for every row of <paramref name="x"/>.</summary>
    /// <exception cref="ArgumentException">The column count differs from <see cref="Features"/>.</exception>
    public double[] Probabilities(FeatureMatrix x)
    {
        ArgumentNullException.ThrowIfNull(x);
        Guard.SameLength(Features, x.Columns, nameof(x), "the model's", "columns");
        var result = new double[x.Rows];
        foreach (var member in Members)
        {
            var decisions = member.Ridge.Decisions(x);
            for (var r = 0; r < result.Length; r++)
            {
                result[r] += member.Calibrator.Probability(decisions[r]);
            }
        }

        for (var r = 0; r < result.Length; r++)
        {
            result[r] /= Members.Length;
        }

        return result;
    }
}
