namespace Lpp;

/// <summary>
/// Learn-then-Test (Angelopoulos, Bates et al., 2021) for the error rate among trusted items, by fixed-sequence
/// testing: candidate thresholds are the distinct calibration scores from high to low; at each, the null hypothesis
/// "the error rate among items with score ≥ λ exceeds A" is rejected when the Clopper-Pearson upper bound at the
/// given confidence on the errors among the n_λ trusted calibration items is at most A, and testing stops at the
/// first threshold that fails. Every threshold rejected before the stop then holds the bound simultaneously with that
/// confidence (fixed-sequence testing needs no multiplicity correction), provided future items are exchangeable with
/// the calibration items. Thresholds that trust too few items for even zero errors to pass
/// (n_λ &lt; ln(1 − confidence) / ln(1 − A)) are not tested: that depends on the number of items alone, not on their labels.
/// </summary>
public static class LearnThenTest
{
    /// <summary>
    /// The lowest threshold λ accepted by the fixed sequence (trust iff score ≥ λ), or NaN when none is. NaN scores
    /// are never trusted (abstentions, unparseable answers, a missing signal).
    /// </summary>
    /// <exception cref="ArgumentException">Lengths differ.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxError"/> or <paramref name="confidence"/> not strictly between 0 and 1.</exception>
    public static double LowestThreshold(ReadOnlySpan<double> scores, ReadOnlySpan<bool> correct, double maxError, double confidence)
    {
        Guard.SameLength(scores.Length, correct.Length, nameof(correct), "one per score");
        if (!(maxError > 0 && maxError < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(maxError), maxError, "the error rate to control must be strictly between 0 and 1");
        }

        if (!(confidence > 0 && confidence < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(confidence), confidence, "confidence must be strictly between 0 and 1");
        }

        var keys = new List<(double Score, bool Correct)>(scores.Length);
        for (var i = 0; i < scores.Length; i++)
        {
            if (!double.IsNaN(scores[i]))
            {
                keys.Add((scores[i], correct[i]));
            }
        }

        keys.Sort((p, q) => q.Score.CompareTo(p.Score));
        var fewest = Math.Log(1 - confidence) / Math.Log(1 - maxError);
        var accepted = double.NaN;
        int trusted = 0, errors = 0;
        var j = 0;
        while (j < keys.Count)
        {
            var value = keys[j].Score;
            while (j < keys.Count && keys[j].Score == value)
            {
                trusted++;
                errors += keys[j].Correct ? 0 : 1;
                j++;
            }

            if (trusted < fewest)
            {
                continue;
            }

            if (BinomialInterval.Upper(errors, trusted, confidence) > maxError)
            {
                break;
            }

            accepted = value;
        }

        return accepted;
    }

    /// <summary>Items trusted at <paramref name="threshold"/> (score ≥ threshold, NaN never) and the errors among them.</summary>
    /// <exception cref="ArgumentException">Lengths differ.</exception>
    public static (int Trusted, int Errors) TrustedAt(ReadOnlySpan<double> scores, ReadOnlySpan<bool> correct, double threshold)
    {
        Guard.SameLength(scores.Length, correct.Length, nameof(correct), "one per score");
        int trusted = 0, errors = 0;
        for (var i = 0; i < scores.Length; i++)
        {
            if (scores[i] >= threshold)
            {
                trusted++;
                errors += correct[i] ? 0 : 1;
            }
        }

        return (trusted, errors);
    }
}
